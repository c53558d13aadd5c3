import type { ExistingContainer } from './project-containers.js'

/**
 * How a shared stack is put back between tests, decided here without an engine: what the engine
 * has now against what it had right after `up` (the baseline), and which containers a test
 * touched through the fault API. `api/shared-compose.ts` carries the plan out.
 */

/** What the plan reads of a container. */
export type StackContainer = Pick<ExistingContainer, 'id' | 'service' | 'number' | 'state' | 'exitCode' | 'networks'>

/** A container and one engine network, to attach it to or take it off. */
export interface NetworkChange {
  readonly container: StackContainer
  readonly network: string
}

export interface RestorePlan {
  /** A container of the baseline is gone (removed, or scaled away): `up` again, with the same options, makes it. */
  readonly upAgain: boolean
  /** Containers beyond the baseline (a test scaled a service up): removed. */
  readonly remove: readonly StackContainer[]
  readonly unpause: readonly StackContainer[]
  readonly disconnect: readonly NetworkChange[]
  readonly connect: readonly NetworkChange[]
  /** Started again, in the project's dependency order, each ready before the next. */
  readonly start: readonly StackContainer[]
  /** A container has another id than at the baseline (a test recreated it): the handles are renewed. */
  readonly replaced: boolean
}

export interface RestoreInput {
  readonly baseline: readonly StackContainer[]
  readonly now: readonly StackContainer[]
  /** Ids of the containers a test stopped, killed, paused, disconnected, restarted or scaled. */
  readonly touched: ReadonlySet<string>
  /** The services in dependency order (what one depends on before it). */
  readonly order: readonly string[]
}

const UP = new Set(['running', 'paused', 'restarting'])

const key = (c: StackContainer) => `${c.service}#${c.number}`

/**
 * Puts back what the baseline had. A container that was up is started again when a test touched
 * it or it crashed (a non-zero exit); one that exited 0 on its own (a one-shot job done) is left,
 * as is one that had already exited at the baseline. Networks are attached and detached to match
 * the baseline; named volumes and files written inside containers are not restored (a fresh stack is).
 */
export function restorePlan({ baseline, now, touched, order }: RestoreInput): RestorePlan {
  const current = new Map(now.map((c) => [key(c), c]))
  const wanted = new Set(baseline.map(key))
  const pairs = baseline.flatMap((before) => {
    const after = current.get(key(before))
    return after ? [{ before, after }] : []
  })
  const wasUp = ({ before }: { before: StackContainer }) => UP.has(before.state)
  const crashedOrTouched = ({ before, after }: { before: StackContainer; after: StackContainer }) =>
    touched.has(before.id) || touched.has(after.id) || (after.exitCode ?? 0) !== 0 || after.state === 'created'
  const rank = (c: StackContainer) => order.indexOf(c.service) * 10_000 + c.number
  return {
    upAgain: pairs.length < baseline.length,
    remove: now.filter((c) => !wanted.has(key(c))),
    unpause: pairs
      .filter(({ before, after }) => after.state === 'paused' && before.state !== 'paused')
      .map((p) => p.after),
    disconnect: pairs.flatMap(({ before, after }) =>
      after.networks.filter((n) => !before.networks.includes(n)).map((network) => ({ container: after, network })),
    ),
    connect: pairs.flatMap(({ before, after }) =>
      before.networks.filter((n) => !after.networks.includes(n)).map((network) => ({ container: after, network })),
    ),
    start: pairs
      .filter((p) => wasUp(p) && !UP.has(p.after.state) && crashedOrTouched(p))
      .map((p) => p.after)
      .sort((a, b) => rank(a) - rank(b)),
    replaced: pairs.some(({ before, after }) => before.id !== after.id),
  }
}

/** Whether the plan has nothing to do. */
export function nothingToRestore(plan: RestorePlan): boolean {
  const { upAgain, replaced, remove, unpause, disconnect, connect, start } = plan
  return !upAgain && !replaced && [remove, unpause, disconnect, connect, start].every((list) => list.length === 0)
}
