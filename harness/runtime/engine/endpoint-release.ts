import type { Engine } from './engine.js'
import { engineVersion } from './engine-version.js'

/**
 * Docker 20.10's libnetwork counts each network's endpoints in a record that concurrent updates
 * share without a lock: when three or more endpoints of one network are released at the same
 * instant (containers killed or stopped together), a decrement can be lost, and the network is
 * then refused removal ("has active endpoints") until the engine restarts (moby/moby#43286). Two
 * at a time never lose one. So on those engines the harness stops, kills and removes the running
 * containers of one network at most RELEASES_AT_ONCE at a time: the effects are Compose v2's, only
 * their timing differs (docs/compatibility.md).
 */
export const RELEASES_AT_ONCE = 2

/**
 * How long a container asked to stop gracefully holds its networks' turns: one still running
 * after this is taking its grace period, and its exit, whenever it comes, is no longer part of
 * the burst. A prompt action (SIGKILL, `-t 0`, a forced removal) holds them until it is done.
 */
export const GRACEFUL_TURN_MS = 500

/** Whether the engine loses endpoint counts under concurrent releases (pure): Docker's engine before API 1.42 (Docker 23). */
export function losesEndpointCounts(apiVersion: string, podman: boolean): boolean {
  if (podman || apiVersion === '') return false
  const [major = 0, minor = 0] = apiVersion.split('.').map(Number)
  return major === 1 && minor < 42
}

/** Whether one more release on `networks` keeps each of them within `limit` releases at once (pure). */
export function fitsIn(inFlight: ReadonlyMap<string, number>, networks: readonly string[], limit: number): boolean {
  return networks.every((n) => (inFlight.get(n) ?? 0) < limit)
}

/**
 * Which of the waiting releases may begin now, in their order (pure): each one that fits beside
 * those in flight and those admitted before it. A later one may pass an earlier one that must
 * wait for another network.
 */
export function admitted(
  waiting: readonly (readonly string[])[],
  inFlight: ReadonlyMap<string, number>,
  limit: number,
): number[] {
  const counts = new Map(inFlight)
  const chosen: number[] = []
  waiting.forEach((networks, i) => {
    if (!fitsIn(counts, networks, limit)) return
    for (const n of networks) counts.set(n, (counts.get(n) ?? 0) + 1)
    chosen.push(i)
  })
  return chosen
}

interface Waiter {
  readonly networks: readonly string[]
  readonly begin: () => void
}

/** The releases under way in this process on one engine, by network, and those waiting their turn. */
class ReleaseTurns {
  private readonly inFlight = new Map<string, number>()
  private readonly waiting: Waiter[] = []

  /** Resolves once a release on `networks` may begin; the returned function ends it. */
  async turn(networks: readonly string[]): Promise<() => void> {
    await new Promise<void>((begin) => {
      this.waiting.push({ networks, begin })
      this.admit()
    })
    let ended = false
    return () => {
      if (ended) return
      ended = true
      for (const n of networks) this.inFlight.set(n, (this.inFlight.get(n) ?? 1) - 1)
      this.admit()
    }
  }

  private admit(): void {
    const chosen = admitted(
      this.waiting.map((w) => w.networks),
      this.inFlight,
      RELEASES_AT_ONCE,
    )
    for (const i of chosen.reverse()) {
      const [waiter] = this.waiting.splice(i, 1)
      for (const n of waiter!.networks) this.inFlight.set(n, (this.inFlight.get(n) ?? 0) + 1)
      waiter!.begin()
    }
  }
}

const turns = new WeakMap<Engine, Promise<ReleaseTurns | undefined>>()

/** This engine's turns, when it needs them (asked once an engine). */
function turnsOf(engine: Engine): Promise<ReleaseTurns | undefined> {
  let answer = turns.get(engine)
  if (!answer) {
    answer = engineVersion(engine).then(
      (v) =>
        losesEndpointCounts(
          v.ApiVersion ?? '',
          (v.Components ?? []).some((c) => /podman/i.test(c.Name)),
        )
          ? new ReleaseTurns()
          : undefined,
      () => undefined,
    )
    turns.set(engine, answer)
  }
  return answer
}

/**
 * Runs `action`, which may stop container `id` (a stop, a kill, a restart, a forced removal), in
 * its networks' turn on engines that lose endpoint counts; at once elsewhere, and for a container
 * that does not run. `prompt`: the action ends the container at once (its turn lasts until the
 * action is done); otherwise the turn ends after GRACEFUL_TURN_MS at the latest.
 */
export async function inReleaseTurn<T>(
  engine: Engine,
  id: string,
  prompt: boolean,
  action: () => Promise<T>,
): Promise<T> {
  const paced = await turnsOf(engine)
  if (!paced) return action()
  const state = await engine.container.dockerode
    .getContainer(id)
    .inspect()
    .catch(() => undefined)
  const networks = Object.values(state?.NetworkSettings?.Networks ?? {}).map((n) => n.NetworkID)
  if (!state?.State.Running || networks.length === 0) return action()
  const end = await paced.turn(networks)
  const timer = prompt ? undefined : setTimeout(end, GRACEFUL_TURN_MS)
  try {
    return await action()
  } finally {
    clearTimeout(timer)
    end()
  }
}
