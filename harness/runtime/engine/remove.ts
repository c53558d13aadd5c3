import type { Engine } from './engine.js'
import { ResourceError } from './runtime-errors.js'

/**
 * SIGTERM (or the container's stop signal), then SIGKILL after `timeoutS`, or after the
 * container's own stop_grace_period (10 s by default) when absent; a stopped or gone one is fine.
 */
export async function stopContainer(engine: Engine, id: string, timeoutS?: number): Promise<void> {
  try {
    await engine.container.getById(id).stop(timeoutS === undefined ? {} : { t: timeoutS })
  } catch (error) {
    if (!isGone(error) && statusOf(error) !== 304) throw error
  }
}

/** Stops a container and removes it with its anonymous volumes. */
export async function removeContainer(engine: Engine, id: string, timeoutS?: number): Promise<void> {
  await stopContainer(engine, id, timeoutS)
  await deleteContainer(engine, id)
}

/** Removes a container (stopped, or killed on the spot) with its anonymous volumes; one already gone is fine. */
export async function deleteContainer(engine: Engine, id: string): Promise<void> {
  try {
    await engine.container.getById(id).remove({ v: true, force: true })
  } catch (error) {
    // 409: a removal is already under way (another `down`); 404: already gone.
    if (!isGone(error) && statusOf(error) !== 409) throw error
  }
}

/**
 * How long a network removal waits for the engine to release the endpoints of containers just
 * removed: many containers' endpoints released at once on a loaded engine take seconds each.
 */
export const ENDPOINT_RELEASE_MS = 60_000
/** How long the engine may count endpoints on a network that none is attached to before it is taken for its bug. */
export const LOST_COUNT_MS = 5_000

/** An endpoint a network still lists, and whether its container still runs (and so holds it). */
export interface Attached {
  readonly name: string
  readonly live: boolean
}

/** Where a network removal refused for "active endpoints" stands. */
export interface EndpointWait {
  /** Since the first refusal. */
  readonly elapsedMs: number
  /** The endpoints the network still lists; undefined when it could not be inspected. */
  readonly attached: readonly Attached[] | undefined
  /** For how long it has listed none (0 while it lists some). */
  readonly noneForMs: number
}

/**
 * What a refused network removal does next (pure). A container that still runs holds the
 * network: no wait releases it (`held`). Endpoints of containers just removed are being released:
 * it tries again, up to ENDPOINT_RELEASE_MS. An engine that counts endpoints with none attached for
 * LOST_COUNT_MS has met its bug, which only a restart mends (`lost-count`).
 */
export function afterActiveEndpoints({
  elapsedMs,
  attached,
  noneForMs,
}: EndpointWait): 'retry' | 'lost-count' | 'held' {
  if (attached?.some((a) => a.live)) return 'held'
  if (attached?.length === 0 && noneForMs >= LOST_COUNT_MS) return 'lost-count'
  if (elapsedMs >= ENDPOINT_RELEASE_MS) return attached?.length === 0 ? 'lost-count' : 'held'
  return 'retry'
}

/**
 * Removes a network. Right after its containers are removed the engine may still hold their
 * endpoints ("has active endpoints"): that answer is retried, with growing pauses, while the
 * endpoints are being released (up to ENDPOINT_RELEASE_MS). A container still attached, or an
 * engine that counts endpoints with none attached (its bug), is said so at once, with the way out.
 * Any other refusal is thrown as it came.
 */
export async function removeNetwork(engine: Engine, id: string): Promise<void> {
  const network = engine.container.dockerode.getNetwork(id)
  const start = Date.now()
  let noneSince: number | undefined
  for (let pauseMs = 50; ; pauseMs = Math.min(pauseMs * 2, 1000)) {
    try {
      await network.remove()
      return
    } catch (error) {
      const releasing = statusOf(error) === 403 && /active endpoints/.test(String((error as Error).message))
      if (!releasing) throw error
      const { name = id, attached } = await endpointsOf(engine, id)
      const now = Date.now()
      noneSince = attached?.length === 0 ? (noneSince ?? now) : undefined
      const next = afterActiveEndpoints({ elapsedMs: now - start, attached, noneForMs: now - (noneSince ?? now) })
      if (next === 'lost-count')
        throw new ResourceError(
          `the engine refuses to remove network ${name}: it counts endpoints on it, but no container is attached. ` +
            'Docker 20.10 loses that count when many containers of one network exit at the same instant (moby/moby#43286); ' +
            'restarting the engine recounts, after which the network can be removed.',
          { cause: error },
        )
      if (next === 'held') {
        const live = attached?.filter((a) => a.live) ?? []
        throw new ResourceError(
          live.length > 0
            ? `network ${name} is still used by container(s) ${live.map((a) => a.name).join(', ')}: disconnect or remove them, then remove the network`
            : `the engine still holds endpoints on network ${name} ${Math.round((now - start) / 1000)} s after their containers were removed` +
                (attached?.length ? `: ${attached.map((a) => a.name).join(', ')}` : ''),
          { cause: error },
        )
      }
      await new Promise((resolve) => setTimeout(resolve, pauseMs))
    }
  }
}

/** The network's name and the endpoints it lists, each with whether its container still runs. */
async function endpointsOf(
  engine: Engine,
  id: string,
): Promise<{ name: string | undefined; attached: Attached[] | undefined }> {
  const docker = engine.container.dockerode
  const info = (await docker
    .getNetwork(id)
    .inspect()
    .catch(() => undefined)) as { Name?: string; Containers?: Record<string, { Name?: string }> } | undefined
  if (!info) return { name: undefined, attached: undefined }
  const attached = await Promise.all(
    Object.entries(info.Containers ?? {}).map(async ([container, endpoint]) => ({
      name: endpoint.Name ?? container,
      // Only a container that runs holds its endpoint: one stopped, or removed or being removed
      // (by another `down`, say), releases it soon.
      live: await docker
        .getContainer(container)
        .inspect()
        .then(
          (c) => ['running', 'paused', 'restarting'].includes(c.State.Status),
          () => false,
        ),
    })),
  )
  return { name: info.Name, attached }
}

export function statusOf(error: unknown): number | undefined {
  return (error as { statusCode?: number } | null)?.statusCode
}

export function isGone(error: unknown): boolean {
  return statusOf(error) === 404
}
