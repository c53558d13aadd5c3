// The echo project brought up and down by compose-harness (through its API, as a test suite uses
// it) and by Compose v2 (its CLI), in the same run; plus the floor: the same
// containers created and started directly through the engine API along the dependency path.
import { execFileSync } from 'node:child_process'
import { resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import type Dockerode from 'dockerode'
import { Compose } from '../harness/index.js'
import { connectEngine } from '../harness/runtime/engine/engine.js'
import { summarize, type Summary } from './stats.js'

const ECHO = resolve('fixtures/echo/docker-compose.yml')
const BUILD = resolve('fixtures/echo/docker-compose.build.yml')
const WARM_RUNS = 5
const COLD_RUNS = 2

export interface EchoFigures {
  readonly harness: Record<Measure, Summary>
  readonly composeCli?: Record<Measure, Summary>
  readonly floor: Summary
  /** The least a down can do: the client stopped, then the server (the client removed meanwhile), then the network. */
  readonly floorDown: Summary
}
export type Measure = 'cold' | 'warm' | 'second' | 'down'

/** Waits for the first `Received:` line of a container, polling its log: the same waiter for every contender. */
export async function firstEcho(docker: Dockerode, container: string): Promise<void> {
  const deadline = Date.now() + 30_000
  while (Date.now() < deadline) {
    const log = await docker
      .getContainer(container)
      .logs({ stdout: true, stderr: true })
      .catch(() => Buffer.alloc(0))
    if (log.toString().includes('Received: ')) return
    await new Promise((r) => setTimeout(r, 10))
  }
  throw new Error(`no echo from ${container} within 30 s`)
}

export async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now()
  await fn()
  return performance.now() - start
}

async function removeEchoImages(docker: Dockerode): Promise<void> {
  for (const image of ['client', 'server'])
    await docker
      .getImage(image)
      .remove({ force: true })
      .catch(() => undefined)
}

/** The harness through its API: `up` without waiting for health, as `docker compose up -d` does not. */
async function harnessRuns(docker: Dockerode): Promise<Record<Measure, Summary>> {
  const compose = Compose.fromFiles(ECHO, BUILD).withProjectName('bench-harness')
  const runs: Record<Measure, number[]> = { cold: [], warm: [], second: [], down: [] }
  const options = { waitHealthy: false, reap: false }
  await (await compose.up(options)).down() // first use: engine client, code paths
  for (let i = 0; i < COLD_RUNS + WARM_RUNS; i++) {
    const cold = i < COLD_RUNS
    if (cold) await removeEchoImages(docker)
    let project: Awaited<ReturnType<typeof compose.up>> | undefined
    runs[cold ? 'cold' : 'warm'].push(
      await timed(async () => {
        project = await compose.up(options)
        await firstEcho(docker, 'bench-harness-client-1')
      }),
    )
    runs.second.push(await timed(() => compose.up(options)))
    runs.down.push(await timed(() => project!.down()))
  }
  return summaries(runs)
}

async function composeCliRuns(docker: Dockerode, reference: readonly string[]): Promise<Record<Measure, Summary>> {
  const cli = (...args: string[]) =>
    execFileSync(reference[0]!, [...reference.slice(1), '-f', ECHO, '-f', BUILD, '-p', 'benchcli', ...args], {
      stdio: 'ignore',
    })
  const runs: Record<Measure, number[]> = { cold: [], warm: [], second: [], down: [] }
  cli('up', '-d')
  cli('down')
  for (let i = 0; i < COLD_RUNS + WARM_RUNS; i++) {
    const cold = i < COLD_RUNS
    if (cold) await removeEchoImages(docker)
    runs[cold ? 'cold' : 'warm'].push(
      await timed(async () => {
        cli('up', '-d')
        await firstEcho(docker, 'benchcli-client-1')
      }),
    )
    runs.second.push(await timed(async () => cli('up', '-d')))
    runs.down.push(await timed(async () => cli('down')))
  }
  return summaries(runs)
}

/** The least any tool can do: network, echo-server, then client (created while the server starts), straight through the engine API; and back down. */
async function floorRuns(docker: Dockerode): Promise<{ up: Summary; down: Summary }> {
  const up: number[] = []
  const down: number[] = []
  for (let i = 0; i < WARM_RUNS; i++) {
    const name = `bench-floor-${i}`
    up.push(
      await timed(async () => {
        await docker.createNetwork({ Name: `${name}_default`, Driver: 'bridge' })
        const server = await docker.createContainer({
          name: `${name}-echo-server-1`,
          Image: 'server',
          HostConfig: { NetworkMode: `${name}_default` },
          NetworkingConfig: { EndpointsConfig: { [`${name}_default`]: { Aliases: ['echo-server'] } } },
        })
        // The client is created while the server starts, and started once it has.
        const [client] = await Promise.all([
          docker.createContainer({
            name: `${name}-client-1`,
            Image: 'client',
            HostConfig: { NetworkMode: `${name}_default` },
            NetworkingConfig: {
              EndpointsConfig: {
                [`${name}_default`]: { Aliases: ['client'], Links: [`${name}-echo-server-1:talkto`] },
              },
            },
          }),
          server.start(),
        ])
        await client.start()
        await firstEcho(docker, `${name}-client-1`)
      }),
    )
    const client = docker.getContainer(`${name}-client-1`)
    const server = docker.getContainer(`${name}-echo-server-1`)
    down.push(
      await timed(async () => {
        // The client first (it depends on the server); its removal runs beside the server's stop.
        await client.stop()
        await Promise.all([server.stop(), client.remove({ v: true })])
        await server.remove({ v: true })
        await docker.getNetwork(`${name}_default`).remove()
      }),
    )
  }
  return { up: summarize(up), down: summarize(down) }
}

function summaries(runs: Record<Measure, number[]>): Record<Measure, Summary> {
  return {
    cold: summarize(runs.cold),
    warm: summarize(runs.warm),
    second: summarize(runs.second),
    down: summarize(runs.down),
  }
}

export async function benchEcho(reference: readonly string[] | undefined): Promise<EchoFigures> {
  const docker = (await connectEngine()).container.dockerode
  const harness = await harnessRuns(docker)
  const composeCli = reference ? await composeCliRuns(docker, reference) : undefined
  const floor = await floorRuns(docker)
  return { harness, floor: floor.up, floorDown: floor.down, ...(composeCli && { composeCli }) }
}
