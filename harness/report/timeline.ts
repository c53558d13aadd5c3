import type { BuildEvent } from '../runtime/images/build-images.js'
import type { ConvergeEvent } from '../runtime/up/converge-options.js'

/** One thing that happened to a service of a project, when it happened (epoch milliseconds). */
export interface TimelineEvent {
  readonly at: number
  readonly service: string
  /** The container's name, where the event is a container's. */
  readonly container?: string
  /** `build`, `built`, `created`, `started`, `healthy`, `exited`, `health`, `fault`, `removed`… */
  readonly kind: string
  readonly detail?: string
}

/** What happened to a project while a run had it: each service's build, start, health, faults, exits and removal. */
export class Timeline {
  readonly #events: TimelineEvent[] = []

  constructor(private readonly now: () => number = Date.now) {}

  record(event: Omit<TimelineEvent, 'at'> & { readonly at?: number }): void {
    this.#events.push({ ...event, at: event.at ?? this.now() })
  }

  /** Every event, in the order of their times. */
  get events(): readonly TimelineEvent[] {
    return [...this.#events].sort((a, b) => a.at - b.at)
  }

  /** `up`'s progress (converge-options.ts), as the timeline records it. */
  converged(event: ConvergeEvent): void {
    if (event.action === 'waiting') return
    this.record({ service: event.service, container: event.container, kind: event.action })
  }

  /** A build's start and end (its steps are in the build's own output). */
  built(event: BuildEvent): void {
    if (event.kind === 'building') this.record({ service: event.service, kind: 'build' })
    if (event.kind === 'built') this.record({ service: event.service, kind: 'built', detail: `${event.ms} ms` })
  }
}
