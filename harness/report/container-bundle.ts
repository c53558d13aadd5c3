import type { ServiceHandle } from '../runtime/container/service-handle.js'
import type { TimelineEvent } from './timeline.js'

/** One health check the engine kept (it keeps the last five). */
export interface HealthCheck {
  readonly start: string
  readonly exitCode: number
  readonly output: string
}

/** What a failed test's report shows of a container: its state, the engine's view of it, its last lines, its health checks. */
export interface ContainerBundle {
  readonly name: string
  readonly service: string
  readonly state: string
  readonly startedAt?: string
  readonly finishedAt?: string
  readonly exitCode?: number
  readonly oomKilled?: boolean
  readonly inspect: unknown
  readonly logs: readonly string[]
  readonly health: readonly HealthCheck[]
}

/** The engine's "never": a time it gives for what has not happened. */
const NEVER = /^0001-01-01/

/** Each container's bundle, read from the engine now (a container already gone is left out). */
export async function collectContainers(handles: readonly ServiceHandle[], lines = 200): Promise<ContainerBundle[]> {
  const bundles = await Promise.all(
    handles.map(async (h): Promise<ContainerBundle | undefined> => {
      const info = await h.inspect().catch(() => undefined)
      if (!info) return undefined
      // The timeline of a project's end needs no lines: no request for them.
      const logs =
        lines === 0 ? [] : await h.logs(lines).catch((error: unknown) => [`(logs unavailable: ${String(error)})`])
      const { State } = info
      const started = !NEVER.test(State.StartedAt)
      const finished = !State.Running && !NEVER.test(State.FinishedAt)
      return {
        name: h.name,
        service: h.service,
        state: State.Status,
        ...(started && { startedAt: State.StartedAt }),
        ...(finished && { finishedAt: State.FinishedAt, exitCode: State.ExitCode, oomKilled: State.OOMKilled }),
        inspect: info,
        logs,
        health: (State.Health?.Log ?? []).map((c) => ({
          start: c.Start,
          exitCode: c.ExitCode,
          output: c.Output.trim(),
        })),
      }
    }),
  )
  return bundles.filter((b) => b !== undefined)
}

/**
 * Pure: the events a container's state tells of, at the engine's times: its last start, its
 * health checks (the last five), and its exit (with its code, and an out-of-memory kill).
 */
export function stateEvents(bundle: ContainerBundle): TimelineEvent[] {
  const { service, name: container } = bundle
  const start =
    bundle.startedAt === undefined ? [] : [{ at: Date.parse(bundle.startedAt), service, container, kind: 'started' }]
  const checks = bundle.health.map((c) => ({
    at: Date.parse(c.start),
    service,
    container,
    kind: c.exitCode === 0 ? 'check passed' : 'check failed',
    detail: c.output === '' ? `exit ${c.exitCode}` : `exit ${c.exitCode}: ${c.output}`,
  }))
  const exit =
    bundle.finishedAt === undefined
      ? []
      : [
          {
            at: Date.parse(bundle.finishedAt),
            service,
            container,
            kind: 'exited',
            detail: `code ${bundle.exitCode ?? '?'}${bundle.oomKilled ? ', killed: out of memory' : ''}`,
          },
        ]
  return [...start, ...checks, ...exit]
}
