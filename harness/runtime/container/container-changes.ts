import type { Engine } from '../engine/engine.js'

/**
 * A wait's wake-up: `next(ms)` resolves as soon as the engine reports an event of the container
 * (`health_status`, `die`, `start`…), or after `ms` when none comes. The events make a wait answer
 * at once; the time-out keeps it as sure as polling, for an engine that sends fewer events (or none).
 */
export interface ContainerChanges extends AsyncDisposable {
  next(ms: number): Promise<void>
}

/** The engine's event stream, as dockerode hands it over. */
export type EventStream = NodeJS.ReadableStream & { destroy: () => void }

/** Follows one container's events until disposed; an engine that refuses the stream leaves plain polling. */
export async function containerChanges(engine: Engine, id: string): Promise<ContainerChanges> {
  const stream = await engine.container.dockerode
    .getEvents({ filters: { type: ['container'], container: [id] } })
    .catch(() => undefined)
  return changesFrom(stream as EventStream | undefined)
}

/** The wake-ups of an event stream (none: only the time-outs); an event that comes between two waits ends the next at once. */
export function changesFrom(stream: EventStream | undefined): ContainerChanges {
  let changed = false
  let wake: (() => void) | undefined
  stream?.on('error', () => undefined)
  stream?.on('data', () => {
    changed = true
    wake?.()
  })
  return {
    next(ms: number): Promise<void> {
      if (changed) {
        changed = false
        return Promise.resolve()
      }
      return new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer)
          wake = undefined
          changed = false
          resolve()
        }
        const timer = setTimeout(done, ms)
        wake = done
      })
    },
    [Symbol.asyncDispose]: async () => {
      wake?.()
      stream?.destroy()
    },
  }
}
