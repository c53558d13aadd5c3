import { connect, type Socket } from 'node:net'
import type { Engine } from '../engine/engine.js'
import { publishedHost, type Endpoint } from '../engine/endpoint.js'
import { LABEL, SESSION_LABEL } from '../engine/labels.js'
import { REAPER_LABEL, reaperFilter, sendLine, type Reaper } from './reaper.js'
import { within } from '../engine/timeout-race.js'

const ANSWER_TIMEOUT_MS = 5000
const PRUNE_TIMEOUT_MS = 60_000

/**
 * Before an `up` changes a project, takes over the crash clean-up of what earlier runs left of it.
 * A run killed a moment ago still has a reaper about to remove its containers, network and volumes
 * (those labelled with its session); this `up` may keep and use them. So each such pending reaper
 * is told to let go of the project, after this run's own reaper (when it has one) has taken the
 * same filter on: what this run keeps is removed when this run ends, and only then. A reaper that
 * is already removing things is waited for, so that this `up` starts from what is left.
 */
export async function takeOverProject(engine: Engine, project: string, own?: Reaper): Promise<void> {
  for (const session of await sessionsOf(engine, project)) {
    if (session === own?.session) continue
    const reaper = await runningReaper(engine, `${SESSION_LABEL}=${session}`)
    if (!reaper) continue
    await own?.adopt(project, session)
    const released = await within(
      tellReaper(reaper, `${reaper.secret} -${reaperFilter(project, session)}`).then(
        () => true,
        () => false,
      ),
      ANSWER_TIMEOUT_MS,
    )
    if (released !== true) await gone(engine, reaper.id)
  }
}

/** The sessions whose labels the project's containers, networks and volumes carry. */
async function sessionsOf(engine: Engine, project: string): Promise<Set<string>> {
  const docker = engine.container.dockerode
  const filters = { label: [`${LABEL.project}=${project}`, SESSION_LABEL] }
  const [containers, networks, volumes] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
    docker.listVolumes({ filters }),
  ])
  const labels = [
    ...containers.map((c) => c.Labels),
    ...networks.map((n) => n.Labels),
    ...(volumes.Volumes ?? []).map((v) => v.Labels),
  ]
  return new Set(labels.flatMap((l) => (l?.[SESSION_LABEL] ? [l[SESSION_LABEL]] : [])))
}

/** A running reaper: where this machine reaches its published port, its session, and the secret its lines start with. */
export interface RunningReaper extends Endpoint {
  readonly id: string
  readonly session: string
  readonly secret: string
}

/**
 * The running reaper that carries `label` (`SESSION_LABEL=…` here; a spec names a process's).
 * Its secret is learnt where its address is, from the engine (its container's environment):
 * whoever may ask the engine for that may remove it anyway.
 */
export async function runningReaper(engine: Engine, label: string): Promise<RunningReaper | undefined> {
  const docker = engine.container.dockerode
  const found = await docker.listContainers({ filters: { label: [REAPER_LABEL, label], status: ['running'] } })
  const info = found[0]
  const binding = info?.Ports.find((p) => p.PrivatePort === 8080 && p.PublicPort)
  if (!info || !binding) return undefined
  const env = (await docker.getContainer(info.Id).inspect()).Config.Env ?? []
  const secret = env.find((e) => e.startsWith('REAPER_SECRET='))?.slice('REAPER_SECRET='.length)
  const session = info.Labels[SESSION_LABEL]
  if (!secret || !session) return undefined
  const host = publishedHost(binding.IP, engine.info.containerRuntime.host)
  return { id: info.Id, host, port: binding.PublicPort, session, secret }
}

async function tellReaper(at: Endpoint, line: string): Promise<void> {
  const socket = await new Promise<Socket>((resolve, reject) => {
    const s = connect({ host: at.host, port: at.port }, () => resolve(s)).once('error', reject)
  })
  try {
    await sendLine(socket, line)
  } finally {
    socket.destroy()
  }
}

/** Waits (bounded) until a reaper that no longer answers has finished removing and exited. */
async function gone(engine: Engine, id: string): Promise<void> {
  const container = engine.container.dockerode.getContainer(id)
  await within(
    container.wait({ condition: 'removed' }).catch(() => undefined),
    PRUNE_TIMEOUT_MS,
  )
}
