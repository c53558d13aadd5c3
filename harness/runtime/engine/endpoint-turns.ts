import type Docker from 'dockerode'
import { routeOf, type ModemRequest } from './request-route.js'
// The engine client's type from testcontainers itself: engine.ts imports this file, and importing it back would make a cycle.
import type { ContainerRuntimeClient as Engine } from 'testcontainers'
import { engineIdentity } from './engine-version.js'

/**
 * Docker 20.10's libnetwork counts each network's endpoints in a record that concurrent updates
 * share without a lock: when three or more endpoints of one network are created or released at
 * the same instant, and one of them is a release, a decrement can be lost, and the network is then
 * refused removal ("has active endpoints") until the engine restarts (moby/moby#43286). Two
 * releases at a time never lose one, and starts alone lose none that matters (a lost increment
 * only lowers the count). So on those engines the harness takes turns, network by network:
 * at most RELEASES_AT_ONCE containers stopping (stopped, killed, restarted, removed by force) and
 * none starting, or any number starting and none stopping. The effects are Compose v2's, only
 * their timing differs (docs/compatibility.md). The turns are taken where every request leaves
 * for the engine (`paceEndpoints`), so that no stop or start of the harness's goes without.
 */
export const RELEASES_AT_ONCE = 2

/**
 * When a container asked to stop gracefully is looked at again: one still running then is taking
 * its grace period, and gives its turn up (its exit, whenever it comes, is no longer part of the
 * burst); one that has exited keeps it until its endpoints are released. A prompt action
 * (SIGKILL, `-t 0`, a forced removal) keeps its turn until it is done.
 */
export const GRACEFUL_TURN_MS = 500

/** What a turn does to its networks' endpoints: releases them (a container stops) or creates them (one starts). */
export type TurnKind = 'release' | 'start'

/** The turns under way on one network. */
export interface Under {
  readonly release: number
  readonly start: number
}

/** Whether the engine loses endpoint counts under concurrent changes (pure): Docker's engine before API 1.42 (Docker 23). */
export function losesEndpointCounts(apiVersion: string, podman: boolean): boolean {
  if (podman || apiVersion === '') return false
  const [major = 0, minor = 0] = apiVersion.split('.').map(Number)
  return major === 1 && minor < 42
}

/** Whether a turn of `kind` on `networks` may begin beside those under way (pure). */
export function fitsIn(underWay: ReadonlyMap<string, Under>, kind: TurnKind, networks: readonly string[]): boolean {
  return networks.every((n) => {
    const { release, start } = underWay.get(n) ?? { release: 0, start: 0 }
    return kind === 'start' ? release === 0 : start === 0 && release < RELEASES_AT_ONCE
  })
}

/** `underWay` with one more (`by` 1) or one fewer (`by` -1) turn of `kind` on each of `networks` (pure). */
export function counted(
  underWay: ReadonlyMap<string, Under>,
  kind: TurnKind,
  networks: readonly string[],
  by: 1 | -1,
): Map<string, Under> {
  const next = new Map(underWay)
  for (const n of networks) {
    const now = next.get(n) ?? { release: 0, start: 0 }
    next.set(n, { ...now, [kind]: Math.max(0, now[kind] + by) })
  }
  return next
}

/** A turn asked for: its kind and the networks it changes. */
export interface Asked {
  readonly kind: TurnKind
  readonly networks: readonly string[]
}

/**
 * Which of the waiting turns may begin now, in their order (pure): each one that fits beside those
 * under way and those admitted before it. A later one may pass an earlier one that must wait.
 */
export function admitted(waiting: readonly Asked[], underWay: ReadonlyMap<string, Under>): number[] {
  let counts = new Map(underWay)
  const chosen: number[] = []
  waiting.forEach(({ kind, networks }, i) => {
    if (!fitsIn(counts, kind, networks)) return
    counts = counted(counts, kind, networks, 1)
    chosen.push(i)
  })
  return chosen
}

/** The turns under way in this process on one engine, by network, and those waiting. */
class Turns {
  private underWay = new Map<string, Under>()
  private readonly waiting: (Asked & { readonly begin: () => void })[] = []

  /** Resolves once a turn of `kind` on `networks` may begin; the returned function ends it (once). */
  async take(kind: TurnKind, networks: readonly string[]): Promise<() => void> {
    await new Promise<void>((begin) => {
      this.waiting.push({ kind, networks, begin })
      this.admit()
    })
    let ended = false
    return () => {
      if (ended) return
      ended = true
      this.underWay = counted(this.underWay, kind, networks, -1)
      this.admit()
    }
  }

  private admit(): void {
    for (const i of admitted(this.waiting, this.underWay).reverse()) {
      const [turn] = this.waiting.splice(i, 1)
      this.underWay = counted(this.underWay, turn!.kind, turn!.networks, 1)
      turn!.begin()
    }
  }
}

const turns = new WeakMap<Engine, Promise<Turns | undefined>>()

/** This engine's turns, when it needs them (asked once an engine). */
function turnsOf(engine: Engine): Promise<Turns | undefined> {
  let answer = turns.get(engine)
  if (!answer) {
    answer = engineIdentity(engine).then(
      (v) => (losesEndpointCounts(v.apiVersion, v.podman) ? new Turns() : undefined),
      () => undefined,
    )
    turns.set(engine, answer)
  }
  return answer
}

/** A request that stops or starts a container, as its turn needs it. */
export interface TurnRequest {
  readonly kind: TurnKind
  /** The container, as the request names it (its ID or name). */
  readonly container: string
  /** Whether it ends the container at once (SIGKILL, a stop with no grace, a forced removal). */
  readonly prompt: boolean
  /** The one network it changes, as the request names it (a connect, a disconnect); else all of the container's. */
  readonly network?: string
}

/**
 * Whether `request` creates or releases a container's endpoints, and how (pure): a start, a stop,
 * a kill, a restart, or a forced removal (a running container is killed by it), and a network's
 * connect or disconnect of a container (which change a running one's endpoint on that network at
 * once); undefined for any other.
 */
export function turnRequest(request: ModemRequest): TurnRequest | undefined {
  const { method, kind, name, action, options } = routeOf(request)
  if (method !== 'POST' && method !== 'DELETE') return undefined
  if (kind === 'networks' && method === 'POST' && (action === 'connect' || action === 'disconnect'))
    return typeof options.Container === 'string'
      ? { kind: action === 'connect' ? 'start' : 'release', container: options.Container, prompt: true, network: name }
      : undefined
  if (kind !== 'containers' || name === '') return undefined
  const said = (value: unknown, ...words: unknown[]) => words.includes(value)
  if (method === 'DELETE')
    return action === '' && said(options.force, true, 'true', 1, '1')
      ? { kind: 'release', container: name, prompt: true }
      : undefined
  if (action === 'start') return { kind: 'start', container: name, prompt: false }
  if (action === 'stop' || action === 'restart')
    return { kind: 'release', container: name, prompt: said(options.t, 0, '0') }
  if (action === 'kill')
    return { kind: 'release', container: name, prompt: said(options.signal ?? 'SIGKILL', 'SIGKILL', 'KILL', 9, '9') }
  return undefined
}

const PACED = Symbol('compose-harness: endpoint turns')

/**
 * From now on every request of `engine`'s client that stops or starts a container (`turnRequest`)
 * waits for its turn on the container's networks, on the engines that need turns; any other goes
 * as it is.
 */
export function paceEndpoints(engine: Engine): void {
  const modem = engine.container.dockerode.modem as Docker['modem'] & { [PACED]?: true }
  if (modem[PACED]) return
  modem[PACED] = true
  const dial = modem.dial.bind(modem)
  modem.dial = (request, callback) => {
    const turn = turnRequest(request)
    if (!turn) return dial(request, callback)
    // The error and the answer both go back as the modem gave them.
    const send = () =>
      new Promise<[Error | null, unknown]>((done) => dial(request, (error, result) => done([error, result])))
    const sent = inTurn(engine, turn, send)
    sent.then(
      ([error, result]) => callback?.(error, result as object | null),
      (error: unknown) => callback?.(error instanceof Error ? error : new Error(String(error)), null),
    )
  }
}

/**
 * Begins a turn of `kind` on the engine's networks named `networks`, once it may; the returned
 * function ends it. On engines that need no turns, at once.
 */
async function networkTurn(engine: Engine, kind: TurnKind, networks: readonly string[]): Promise<() => void> {
  const paced = await turnsOf(engine)
  return paced && networks.length > 0 ? paced.take(kind, networks) : () => {}
}

/**
 * Runs `action` (what `turn` asks) in its turn, once it may begin, on the networks it changes: all
 * of the container's, or the one it connects or disconnects. A stop, kill, restart or removal, a
 * connect or a disconnect concerns a running container, a start a stopped one; for any other, at
 * once. A graceful stop (a release not `prompt`) gives its turn up when its container still runs
 * GRACEFUL_TURN_MS after it began.
 */
async function inTurn<T>(engine: Engine, turn: TurnRequest, action: () => Promise<T>): Promise<T> {
  if (!(await turnsOf(engine))) return action()
  const state = await stateOf(engine, turn.container)
  const concerned = turn.kind === 'start' && turn.network === undefined ? state && !state.running : state?.running
  if (!state || !concerned) return action()
  const end = await networkTurn(engine, turn.kind, turn.network !== undefined ? [turn.network] : state.networks)
  // One that has exited keeps its turn until the action returns, which Docker 20.10 does once the
  // container's endpoints are released.
  const graceful = turn.kind === 'release' && !turn.prompt
  const timer = !graceful
    ? undefined
    : setTimeout(() => void stateOf(engine, turn.container).then((now) => now?.running && end()), GRACEFUL_TURN_MS)
  try {
    return await action()
  } finally {
    clearTimeout(timer)
    end()
  }
}

/** Whether container `id` runs, and the names of its networks; undefined when it is gone. */
async function stateOf(engine: Engine, id: string): Promise<{ running: boolean; networks: string[] } | undefined> {
  const info = await engine.container.dockerode
    .getContainer(id)
    .inspect()
    .catch(() => undefined)
  return info && { running: info.State.Running, networks: Object.keys(info.NetworkSettings?.Networks ?? {}) }
}
