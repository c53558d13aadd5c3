import { randomBytes } from 'node:crypto'
import { Readable } from 'node:stream'
import { HarnessError } from '../../errors.js'
import { routeOf } from './request-route.js'
import type Docker from 'dockerode'

/** A request to the engine, as dockerode's modem dials it. */
type EngineRequest = Parameters<Docker['modem']['dial']>[0]

/** A command that `--dry-run` cannot rehearse (one that needs a real container's streams), in Compose v2's words. */
export class DryRunRefusedError extends HarnessError {
  override readonly name = 'DryRunRefusedError'
}

/** What a faked request answers: a value (or a stream, for a streamed request), or the refusal. */
type Answer = { readonly value: unknown } | { readonly refused: string }

/** What a dry run has pretended to create, so that reading it back answers as the engine would have. */
export interface DryRunState {
  readonly containers: Map<string, { readonly labels: Record<string, string>; readonly image: string }>
  readonly networks: Set<string>
  readonly volumes: Set<string>
  readonly execs: Set<string>
  /** What the run pretended to do to containers that exist (by the ID or name it named them by). */
  readonly states: Map<string, ContainerState>
}

type ContainerState = 'running' | 'exited' | 'paused' | 'removed'

export function dryRunState(): DryRunState {
  return { containers: new Map(), networks: new Set(), volumes: new Set(), execs: new Set(), states: new Map() }
}

/** The state a container is left in by each action a dry run pretends to carry out on it. */
const LEFT_IN: Record<string, ContainerState> = {
  start: 'running',
  restart: 'running',
  unpause: 'running',
  stop: 'exited',
  kill: 'exited',
  pause: 'paused',
}

const ok = (value: unknown = ''): Answer => ({ value })

/**
 * Pure: how a dry run answers `request`, as Compose v2's dry-run client answers it: every request
 * that would change the engine (create, start, stop, kill, remove, connect, copy, pull, push, tag…)
 * is answered as if done and never sent; a read of something the run pretended to create answers
 * as the engine would (a running, healthy container); every other read (undefined here) goes to
 * the engine, so that the run plans against what the engine really has. An interactive stream
 * (attach, exec) is refused with v2's words; a request this table does not know is refused rather
 * than sent.
 */
export function dryRunAnswer(request: EngineRequest, state: DryRunState): Answer | undefined {
  const { method, path, kind, name, action, options } = routeOf(request)
  if (method === 'GET' || method === 'HEAD') return fakeRead(kind, name, action, state, request)
  if (kind === 'containers') return containerChange(name, action, method, options, state)
  if (kind === 'networks' && name === 'create') {
    state.networks.add(String(options.Name))
    return ok({ Id: String(options.Name), Warning: '' })
  }
  if (kind === 'volumes' && name === 'create') {
    state.volumes.add(String(options.Name))
    return ok({ Name: options.Name, Driver: options.Driver ?? 'local', Labels: options.Labels ?? {}, Mountpoint: '' })
  }
  if ((kind === 'networks' || kind === 'volumes') && (method === 'DELETE' || /^(connect|disconnect)$/.test(action)))
    return ok()
  if (kind === 'images') return ok(request.isStream ? Readable.from([]) : method === 'DELETE' ? [] : '')
  if (kind === 'exec' && action === 'start') {
    if (options.Detach === true) return ok(request.isStream || request.hijack ? Readable.from([]) : '')
    return { refused: 'interactive exec is not supported in dry-run mode' }
  }
  return { refused: `${method} ${path} is not supported in dry-run mode` }
}

function containerChange(
  name: string,
  action: string,
  method: string,
  options: Record<string, unknown>,
  state: DryRunState,
): Answer {
  if (name === 'create') {
    const text = (value: unknown): string => (typeof value === 'string' ? value : '')
    const created = text(options.name) || text((options._query as { name?: unknown } | undefined)?.name)
    const labels = (options.Labels ?? {}) as Record<string, string>
    state.containers.set(created, { labels, image: text(options.Image) })
    return ok({ Id: created, Warnings: [] })
  }
  if (method === 'DELETE') {
    state.states.set(name, 'removed')
    return ok()
  }
  if (LEFT_IN[action]) state.states.set(name, LEFT_IN[action])
  if (action === 'attach') return { refused: 'interactive run is not supported in dry-run mode' }
  if (action === 'exec') {
    const exec = randomBytes(32).toString('hex')
    state.execs.add(exec)
    return ok({ Id: exec })
  }
  if (action === 'wait') return ok({ StatusCode: 0 })
  if (action === 'update') return ok({ Warnings: [] })
  return ok()
}

/** A read of what the run pretended to create; undefined (the engine answers) for anything else. */
function fakeRead(
  kind: string,
  name: string,
  action: string,
  state: DryRunState,
  request: EngineRequest,
): Answer | undefined {
  if (kind === 'containers' && state.containers.has(name)) {
    if (action === 'logs') return ok(Readable.from([]))
    if (action !== 'json') return ok(request.isStream ? Readable.from([]) : {})
    const { labels, image } = state.containers.get(name)!
    return ok({
      Id: name,
      Name: `/${name}`,
      Image: image,
      State: {
        Status: 'running',
        Running: true,
        ExitCode: 0,
        Health: { Status: 'healthy' },
        StartedAt: new Date().toISOString(),
      },
      Config: { Labels: labels, Image: image },
      HostConfig: {},
      Mounts: [],
      NetworkSettings: { Networks: {}, Ports: {} },
    })
  }
  if (kind === 'exec' && state.execs.has(name)) return ok({ ExitCode: 0, Running: false })
  if (kind === 'networks' && state.networks.has(name)) return ok({ Id: name, Name: name, Containers: {}, Labels: {} })
  if (kind === 'volumes' && state.volumes.has(name)) return ok({ Name: name, Labels: {}, Driver: 'local' })
  return undefined
}

/**
 * Pure: what the engine answered to a read, as it would have answered had the dry run's changes
 * been made: a container the run stopped is exited, one it removed is not listed. A command that
 * stops and then removes what is stopped (`rm -s`) so goes on as it would have.
 */
export function asRehearsed(request: EngineRequest, answer: unknown, state: DryRunState): unknown {
  if (state.states.size === 0 || (request.method ?? 'GET').toUpperCase() !== 'GET') return answer
  const stateOf = (id: string, names: readonly string[]): ContainerState | undefined =>
    state.states.get(id) ?? names.map((n) => state.states.get(n.replace(/^\//, ''))).find((s) => s !== undefined)
  if (Array.isArray(answer) && /\/containers\/json/.test(request.path ?? ''))
    return (answer as { Id: string; Names?: string[] }[]).flatMap((c) => {
      const now = stateOf(c.Id, c.Names ?? [])
      if (now === 'removed') return []
      return [now ? { ...c, State: now, ...(now === 'exited' && { Status: 'Exited (0) Less than a second ago' }) } : c]
    })
  const inspected = answer as { Id?: unknown; Name?: unknown; State?: Record<string, unknown> } | null
  if (typeof inspected?.Id === 'string' && inspected.State && typeof inspected.Name === 'string') {
    const now = stateOf(inspected.Id, [inspected.Name])
    if (now && now !== 'removed')
      return {
        ...inspected,
        State: { ...inspected.State, Status: now, Running: now !== 'exited', Paused: now === 'paused' },
      }
  }
  return answer
}
