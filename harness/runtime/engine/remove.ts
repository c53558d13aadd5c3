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

/** How long a network removal may wait for the engine to release the endpoints of containers just removed. */
const ENDPOINT_RELEASE_MS = 10_000

/**
 * Removes a network. Right after its containers are removed the engine may still hold their
 * endpoints ("has active endpoints"); that answer is retried, with growing pauses, for up to 10 s.
 * A network that still claims endpoints when no container is attached has met an engine bug: it
 * is said so, with the way out. Any other refusal is thrown at once.
 */
export async function removeNetwork(engine: Engine, id: string): Promise<void> {
  const network = engine.container.dockerode.getNetwork(id)
  const deadline = Date.now() + ENDPOINT_RELEASE_MS
  for (let pauseMs = 50; ; pauseMs = Math.min(pauseMs * 2, 1000)) {
    try {
      await network.remove()
      return
    } catch (error) {
      const releasing = statusOf(error) === 403 && /active endpoints/.test(String((error as Error).message))
      if (!releasing) throw error
      if (Date.now() + pauseMs > deadline) {
        const info = (await network.inspect().catch(() => undefined)) as
          { Name?: string; Containers?: Record<string, unknown> } | undefined
        if (info && Object.keys(info.Containers ?? {}).length === 0) {
          throw new ResourceError(
            `the engine refuses to remove network ${info.Name ?? id}: it counts endpoints on it, but no container is attached. ` +
              'Docker 20.10 loses that count when many containers of one network exit at the same instant (moby/moby#43286); ' +
              'restarting the engine recounts, after which the network can be removed.',
            { cause: error },
          )
        }
        throw error
      }
      await new Promise((resolve) => setTimeout(resolve, pauseMs))
    }
  }
}

export function statusOf(error: unknown): number | undefined {
  return (error as { statusCode?: number } | null)?.statusCode
}

export function isGone(error: unknown): boolean {
  return statusOf(error) === 404
}
