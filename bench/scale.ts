// Projects of 10, 30 and 100 services (no build, one network) brought up (`up -d`) and down by
// the harness's CLI, Compose v2's CLI and the harness's API, beside the floor: the same containers
// created and started straight through the engine API, all at once. Each contender takes its turn
// at each size, so that all meet the same engine state.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type Dockerode from 'dockerode'
import { Compose } from '../harness/index.js'
import { connectEngine } from '../harness/runtime/engine/engine.js'
import { timed } from './echo.js'
import { summarize, type Summary } from './stats.js'
import { timedRun } from './timed-run.js'

export const SCALE_SIZES = [10, 30, 100] as const
const RUNS: Record<number, number> = { 10: 3, 30: 3, 100: 2 }
export const CONTENDERS = ['floor', 'api', 'cli', 'composeCli'] as const
export type Contender = (typeof CONTENDERS)[number]
export type Step = 'up' | 'down'
/** Each size's figures; `failed` says why the sizes from there on were not measured. */
export type ScaleFigures = Record<number, Partial<Record<Contender, Record<Step, Summary>>>> & {
  readonly failed?: string
}

const IMAGE = 'debian:bookworm'
const name = (i: number) => `s${String(i).padStart(3, '0')}`

/** N services of one image that exit at once on SIGTERM (tini as init), so that no grace period hides a tool's own time. */
function writeProject(services: number): string {
  const dir = join(tmpdir(), `compose-harness-scale-${services}`)
  mkdirSync(dir, { recursive: true })
  const lines = ['services:']
  for (let i = 1; i <= services; i++)
    lines.push(`  ${name(i)}:`, `    image: ${IMAGE}`, '    init: true', '    command: ["sleep", "infinity"]')
  const file = join(dir, 'compose.yml')
  writeFileSync(file, `${lines.join('\n')}\n`)
  return file
}

/** The least any tool can do: the network, then every container created and started at once; down likewise. */
function floor(docker: Dockerode, services: number): Record<Step, () => Promise<number>> {
  const project = 'bench-scale-floor'
  const network = `${project}_default`
  const ids: string[] = []
  return {
    up: () =>
      timed(async () => {
        await docker.createNetwork({ Name: network, Driver: 'bridge' })
        const created = await Promise.all(
          Array.from({ length: services }, (_, i) =>
            docker.createContainer({
              name: `${project}-${name(i + 1)}-1`,
              Image: IMAGE,
              Cmd: ['sleep', 'infinity'],
              HostConfig: { Init: true, NetworkMode: network },
              NetworkingConfig: { EndpointsConfig: { [network]: { Aliases: [name(i + 1)] } } },
            }),
          ),
        )
        await Promise.all(created.map((c) => c.start()))
        ids.push(...created.map((c) => c.id))
      }),
    down: () =>
      timed(async () => {
        await Promise.all(ids.splice(0).map((id) => docker.getContainer(id).remove({ force: true, v: true })))
        await docker.getNetwork(network).remove()
      }),
  }
}

export async function benchScale(reference: readonly string[] | undefined): Promise<ScaleFigures> {
  const docker = (await connectEngine()).container.dockerode
  const figures: ScaleFigures = {}
  for (const services of SCALE_SIZES) {
    const file = writeProject(services)
    const compose = Compose.fromFiles(file).withProjectName('bench-scale-api')
    let api: Awaited<ReturnType<Compose['up']>> | undefined
    const run =
      (command: readonly string[], project: string) =>
      (...args: string[]) =>
        Promise.resolve(timedRun(command[0]!, [...command.slice(1), '-f', file, '-p', project, ...args]))
    const cli = run([process.execPath, 'bin/compose-harness.js'], 'bench-scale-cli')
    const composeCli = reference && run(reference, 'benchscale')
    const steps: Partial<Record<Contender, Record<Step, () => Promise<number>>>> = {
      floor: floor(docker, services),
      api: {
        up: () => timed(async () => (api = await compose.up({ waitHealthy: false, reap: false }))),
        down: () => timed(() => api!.down()),
      },
      cli: { up: () => cli('up', '-d'), down: () => cli('down') },
      ...(composeCli && { composeCli: { up: () => composeCli('up', '-d'), down: () => composeCli('down') } }),
    }
    const times = new Map<string, number[]>()
    const record = (key: string, ms: number) => times.set(key, [...(times.get(key) ?? []), ms])
    try {
      for (let round = 0; round < RUNS[services]!; round++)
        for (const [contender, step] of Object.entries(steps)) {
          record(`${contender} up`, await step.up())
          record(`${contender} down`, await step.down())
        }
    } catch (error) {
      // Docker 20.10 now and then keeps a network it counts endpoints on after many containers
      // exited at once (moby/moby#43286): every contender's down fails on it until the engine
      // restarts. The sizes measured so far are kept; the rest are said to be not measured.
      return {
        ...figures,
        failed: `at ${services} services: ${lastLine(error instanceof AggregateError ? error.errors[0] : error)}`,
      }
    } finally {
      rmSync(dirname(file), { recursive: true, force: true })
    }
    figures[services] = Object.fromEntries(
      Object.keys(steps).map((c) => [
        c,
        { up: summarize(times.get(`${c} up`)!), down: summarize(times.get(`${c} down`)!) },
      ]),
    )
  }
  return figures
}

/** The last line of an error's message: the engine's own words, after a command's output. */
function lastLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).trim().split('\n').at(-1)!
}

/** The sizes measured in full (all of them, unless the engine failed at one: `failed`). */
export function measuredSizes(figures: ScaleFigures): number[] {
  return SCALE_SIZES.filter((n) => figures[n] !== undefined)
}

/** Seconds each added service costs: the slope from the smallest to the largest project measured. */
export function perService(figures: ScaleFigures, contender: Contender, step: Step): number | undefined {
  const sizes = measuredSizes(figures)
  if (sizes.length < 2) return undefined
  const [smallest, largest] = [sizes[0]!, sizes.at(-1)!]
  const first = figures[smallest]?.[contender]?.[step]
  const last = figures[largest]?.[contender]?.[step]
  if (!first || !last) return undefined
  return (last.median - first.median) / (largest - smallest)
}
