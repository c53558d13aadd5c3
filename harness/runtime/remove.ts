import type { Engine } from './engine.js'

/** Compose's default grace period between SIGTERM and SIGKILL. */
export const DEFAULT_STOP_TIMEOUT_S = 10

/** SIGTERM, then SIGKILL after `timeoutS`; a container already stopped or gone is fine. */
export async function stopContainer(engine: Engine, id: string, timeoutS = DEFAULT_STOP_TIMEOUT_S): Promise<void> {
  try {
    await engine.container.getById(id).stop({ t: timeoutS })
  } catch (error) {
    if (!isGone(error) && statusOf(error) !== 304) throw error
  }
}

/** Stops a container and removes it with its anonymous volumes. */
export async function removeContainer(engine: Engine, id: string, timeoutS = DEFAULT_STOP_TIMEOUT_S): Promise<void> {
  await stopContainer(engine, id, timeoutS)
  try {
    await engine.container.getById(id).remove({ v: true, force: true })
  } catch (error) {
    // 409: a removal is already under way (another `down`); 404: already gone.
    if (!isGone(error) && statusOf(error) !== 409) throw error
  }
}

export function statusOf(error: unknown): number | undefined {
  return (error as { statusCode?: number } | null)?.statusCode
}

export function isGone(error: unknown): boolean {
  return statusOf(error) === 404
}
