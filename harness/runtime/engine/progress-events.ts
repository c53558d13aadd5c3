/**
 * What a command does to each container, network, volume and image as it goes, in Compose v2's
 * words (`Container p-web-1` `Stopping`, then `Stopped`): the CLI prints these as v2 prints its
 * progress, in every `--progress` mode.
 */
export interface ProgressEvent {
  /** What the step is about, as Compose v2 names it: `Container p-web-1`, `Network p_default`, `Volume p_data`, `Image x`. */
  readonly id: string
  /** What is done, where Compose v2 says it between the two (`Commit p-web-1`); none for most steps. */
  readonly text?: string
  /** Compose v2's word for where the step is: `Creating`, `Created`, `Stopping`, `Stopped`… */
  readonly status: string
  /** Under way, or finished: well, with a warning, or failed. */
  readonly state: 'working' | 'done' | 'warning' | 'error'
}

export type OnProgress = (event: ProgressEvent) => void

export const containerId = (name: string): string => `Container ${name}`

/**
 * Runs `action` between a working event and a done event for `id` (`['Stopping', 'Stopped']`); when
 * it fails, an error event (`Error while Stopping`, as v2 says) and the failure.
 */
export async function reported<T>(
  onProgress: OnProgress | undefined,
  id: string,
  [working, done]: readonly [string, string],
  action: () => Promise<T>,
): Promise<T> {
  onProgress?.({ id, status: working, state: 'working' })
  try {
    const result = await action()
    onProgress?.({ id, status: done, state: 'done' })
    return result
  } catch (error) {
    onProgress?.({ id, status: `Error while ${working}`, state: 'error' })
    throw error
  }
}
