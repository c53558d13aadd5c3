import type { Engine } from '../engine/engine.js'
import { LABEL } from '../engine/labels.js'

/** Something that happened to a container of the project, as `compose events` reports it. */
export interface ProjectEvent {
  /** When, to the nanosecond where the engine says it: ISO 8601, and nanoseconds since the epoch. */
  readonly time: Date
  readonly timeNano: bigint
  readonly service: string
  /** The container's ID. */
  readonly id: string
  /** The engine's word: `create`, `start`, `die`, `health_status: healthy`… */
  readonly action: string
  /** The container's attributes but Compose's labels (its name, image, exit code…). */
  readonly attributes: Readonly<Record<string, string>>
}

export interface EventsOptions {
  /** Only these services' containers. */
  readonly services?: readonly string[]
  /** Engine timestamps (`2024-01-02T15:04:05`, a Unix time, `10m`) as `docker events` takes them. */
  readonly since?: string
  readonly until?: string
  /** Stops the stream (Ctrl+C). */
  readonly signal?: AbortSignal
}

/** A raw engine event: the fields that `compose events` reads. */
interface EngineEvent {
  readonly Type?: string
  readonly Action?: string
  readonly time?: number
  readonly timeNano?: number | string
  readonly Actor?: { readonly ID?: string; readonly Attributes?: Record<string, string> }
}

/** The project's container events, one-off containers' left out, as Compose v2 picks them; `undefined` for others. */
export function projectEvent(raw: EngineEvent, services: readonly string[] = []): ProjectEvent | undefined {
  const attributes = raw.Actor?.Attributes ?? {}
  if (raw.Type !== 'container' || attributes[LABEL.oneoff] === 'True') return undefined
  const service = attributes[LABEL.service] ?? ''
  if (services.length > 0 && !services.includes(service)) return undefined
  const timeNano = raw.timeNano !== undefined ? BigInt(raw.timeNano) : BigInt(raw.time ?? 0) * 1_000_000_000n
  return {
    time: new Date(Number(timeNano / 1_000_000n)),
    timeNano,
    service,
    id: raw.Actor?.ID ?? '',
    action: raw.Action ?? '',
    attributes: Object.fromEntries(Object.entries(attributes).filter(([k]) => !k.startsWith('com.docker.compose.'))),
  }
}

/**
 * Hands each event of the project's containers to `onEvent` as the engine reports it, until
 * `until` (when given) or `signal`.
 */
export async function projectEvents(
  engine: Engine,
  project: string,
  { services, since, until, signal }: EventsOptions,
  onEvent: (event: ProjectEvent) => void,
): Promise<void> {
  // The engine takes `since` and `until` as `docker events` does (dockerode's types say numbers only).
  const options = {
    filters: { label: [`${LABEL.project}=${project}`] },
    ...(since !== undefined && { since }),
    ...(until !== undefined && { until }),
  } as unknown as Parameters<Engine['container']['dockerode']['getEvents']>[0] & object
  const stream = (await engine.container.dockerode.getEvents(options)) as NodeJS.ReadableStream & {
    destroy: () => void
  }
  const stop = (): void => stream.destroy()
  signal?.addEventListener('abort', stop, { once: true })
  try {
    let pending = ''
    for await (const chunk of stream) {
      pending += chunk.toString()
      const lines = pending.split('\n')
      pending = lines.pop()!
      for (const line of lines.filter(Boolean)) {
        // Nanoseconds since the epoch do not fit a JavaScript number: read them as written.
        const timeNano = /"timeNano":(\d+)/.exec(line)?.[1]
        const raw = JSON.parse(line) as EngineEvent
        const event = projectEvent(timeNano === undefined ? raw : { ...raw, timeNano }, services)
        if (event) onEvent(event)
      }
    }
  } catch (error) {
    if (!signal?.aborted) throw error
  } finally {
    signal?.removeEventListener('abort', stop)
  }
}
