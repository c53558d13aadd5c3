// The floor of the three-service stack (bench/stack/): its containers created and started straight
// through the engine API, each as soon as what it depends on is healthy, waited on by polling
// the engine, and removed in Compose's order: the least any tool that keeps Compose's order can do.
import type Dockerode from 'dockerode'
import { timed } from './echo.js'
import { visit } from './stack-test.js'
import { summarize, type Summary } from './stats.js'

const RUNS = 3
const MS = 1_000_000
/** The files' healthchecks (bench/stack/compose.yml), as the engine takes them. */
const HEALTH = { Interval: 250 * MS, Retries: 120 }

interface Service {
  readonly name: string
  readonly test: readonly string[]
  readonly env?: readonly string[]
  readonly mounts?: readonly string[]
  readonly port?: number
}

const SERVICES: Record<'db' | 'cache' | 'api', Service> = {
  db: {
    name: 'db',
    test: ['CMD', 'pg_isready', '-h', '127.0.0.1', '-U', 'postgres'],
    mounts: ['data:/var/lib/postgresql/15/main'],
  },
  cache: { name: 'cache', test: ['CMD', 'redis-cli', 'ping'] },
  api: {
    name: 'api',
    test: ['CMD', 'python3', '-c', "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/health')"],
    env: ['DB_HOST=db', 'CACHE_HOST=cache'],
    port: 8080,
  },
}

export interface StackFloor {
  /** Up until every service is healthy and the API answers. */
  readonly up: Summary
  /** The API stopped, then PostgreSQL and Redis, each removed, then the network and the volume. */
  readonly down: Summary
}

function create(docker: Dockerode, project: string, s: Service): Promise<Dockerode.Container> {
  const network = `${project}_default`
  return docker.createContainer({
    name: `${project}-${s.name}-1`,
    Image: `compose-harness-bench-${s.name}`,
    ...(s.env && { Env: [...s.env] }),
    Healthcheck: { Test: [...s.test], ...HEALTH },
    ...(s.port && { ExposedPorts: { [`${s.port}/tcp`]: {} } }),
    HostConfig: {
      NetworkMode: network,
      ...(s.mounts && { Binds: s.mounts.map((m) => `${project}_${m}`) }),
      ...(s.port && { PortBindings: { [`${s.port}/tcp`]: [{ HostIp: '127.0.0.1', HostPort: '' }] } }),
    },
    NetworkingConfig: { EndpointsConfig: { [network]: { Aliases: [s.name] } } },
  })
}

/** Waits for the engine's event that the container's healthcheck passed (at most 60 s), then inspects it. */
async function healthy(docker: Dockerode, container: Dockerode.Container): Promise<Dockerode.ContainerInspectInfo> {
  const events = (await docker.getEvents({
    filters: { container: [container.id], event: ['health_status'] },
  })) as NodeJS.ReadableStream & { destroy(): void }
  let timer: NodeJS.Timeout | undefined
  try {
    const passed = new Promise<void>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`${container.id} not healthy within 60 s`)), 60_000)
      events.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('health_status: healthy')) resolve()
      })
    })
    passed.catch(() => undefined) // awaited below unless healthy already
    // Healthy already, before the events were asked for.
    const now = await container.inspect()
    if (now.State.Health?.Status === 'healthy') return now
    await passed
    return await container.inspect()
  } finally {
    clearTimeout(timer)
    events.destroy()
  }
}

async function up(docker: Dockerode, project: string): Promise<void> {
  await Promise.all([
    docker.createNetwork({ Name: `${project}_default`, Driver: 'bridge' }),
    docker.createVolume({ Name: `${project}_data` }),
  ])
  const [db, cache, api] = await Promise.all([
    create(docker, project, SERVICES.db).then(async (c) => (await c.start(), c)),
    create(docker, project, SERVICES.cache).then(async (c) => (await c.start(), c)),
    create(docker, project, SERVICES.api),
  ])
  await Promise.all([healthy(docker, db), healthy(docker, cache)])
  await api.start()
  const info = await healthy(docker, api)
  await visit(Number(info.NetworkSettings.Ports['8080/tcp']![0]!.HostPort))
}

async function down(docker: Dockerode, project: string): Promise<void> {
  const [db, cache, api] = ['db', 'cache', 'api'].map((s) => docker.getContainer(`${project}-${s}-1`)) as [
    Dockerode.Container,
    Dockerode.Container,
    Dockerode.Container,
  ]
  await api.stop()
  const stopAndRemove = async (c: Dockerode.Container): Promise<void> => {
    await c.stop()
    await c.remove({ v: true })
  }
  await Promise.all([api.remove({ v: true }), stopAndRemove(db), stopAndRemove(cache)])
  await Promise.all([docker.getNetwork(`${project}_default`).remove(), docker.getVolume(`${project}_data`).remove()])
}

/** Whatever a failed run left of `project`: only what this floor created, by its names. */
async function removeLeft(docker: Dockerode, project: string): Promise<void> {
  const quietly = (p: Promise<unknown>) => p.catch(() => undefined)
  await Promise.all(
    Object.keys(SERVICES).map((s) =>
      quietly(docker.getContainer(`${project}-${s}-1`).remove({ force: true, v: true })),
    ),
  )
  await Promise.all([
    quietly(docker.getNetwork(`${project}_default`).remove()),
    quietly(docker.getVolume(`${project}_data`).remove()),
  ])
}

/** The floor's runs (the first not counted, as the other contenders' first round is not); the stack's images built already. */
export async function stackFloor(docker: Dockerode): Promise<StackFloor> {
  const times = { up: [] as number[], down: [] as number[] }
  for (let i = 0; i <= RUNS; i++) {
    const project = `bench-stack-floor-${i}`
    try {
      const upTime = await timed(() => up(docker, project))
      const downTime = await timed(() => down(docker, project))
      if (i === 0) continue
      times.up.push(upTime)
      times.down.push(downTime)
    } finally {
      await removeLeft(docker, project)
    }
  }
  return { up: summarize(times.up), down: summarize(times.down) }
}
