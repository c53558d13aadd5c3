import type { ExistingContainer } from '../project/project-containers.js'

/**
 * What `up` does with each container, decided before anything is done, from what exists and what
 * the files ask: Compose v2's convergence rules in one pure function, so that each rule has a
 * unit spec without an engine. `converge.ts` carries the plan out.
 */
export type ContainerAction =
  /** Running and current: left alone. */
  | 'keep'
  /** Current but not running (stopped, or a one-shot that has exited): started again, as v2 does on every `up`. */
  | 'start'
  /**
   * Running and current, but a dependency it has with `restart: true` is recreated: stopped and
   * started again around that, as Compose 2.40 does (2.26 recreated every dependent).
   */
  | 'restart'
  /** Its configuration or image changed, `--force-recreate`, or a container it shares a namespace or volumes with was recreated: replaced. */
  | 'recreate'
  /** No container with that number yet. */
  | 'create'
  /** Beyond the service's scale: stopped and removed. */
  | 'remove'

export interface PlannedContainer {
  readonly service: string
  readonly number: number
  readonly action: ContainerAction
  /** The container there is now (absent for `create`). */
  readonly existing?: ExistingContainer
  /** Why a container is recreated or restarted, for the user: `configuration changed`, `image changed`, … */
  readonly reason?: string
}

/** What a service's containers must be, as the files (and options) now say. */
export interface DesiredService {
  readonly replicas: number
  readonly configHash: string
  readonly imageId: string
  /** The reaper session this `up` labels its containers with (absent for `up -d`). */
  readonly session?: string
}

/** `changed` (Compose's default), `force` (`--force-recreate`) or `never` (`--no-recreate`). */
export type RecreatePolicy = 'changed' | 'force' | 'never'

export interface PlanInput {
  /** The services this `up` converges, in dependency order. */
  readonly order: readonly string[]
  readonly dependencies: (service: string) => readonly string[]
  /** Those of `dependencies` it has with `restart: true` (links, `ipc`/`pid: service:…` among them). */
  readonly restartsWith: (service: string) => readonly string[]
  /** Those whose containers it names (`network_mode`/`ipc`/`pid: service:…`, `volumes_from`): a new one changes its own. */
  readonly sharesWith: (service: string) => readonly string[]
  /**
   * The services named on the command line (all of them when none is): `recreate` is their
   * policy; a dependency brought along has `recreateDependencies` (when it changed, by default), as in v2.
   */
  readonly named: ReadonlySet<string>
  readonly recreate: RecreatePolicy
  readonly recreateDependencies?: RecreatePolicy
  readonly desired: (service: string) => DesiredService
  readonly existing: ReadonlyMap<string, readonly ExistingContainer[]>
}

export function planConvergence(input: PlanInput): Map<string, PlannedContainer[]> {
  const plan = new Map<string, PlannedContainer[]>()
  const recreated = new Set<string>()
  for (const service of input.order) {
    const policy = input.named.has(service) ? input.recreate : (input.recreateDependencies ?? 'changed')
    const desired = input.desired(service)
    const olds = input.existing.get(service) ?? []
    // Compose 2.40 restarts the running `restart: true` dependents of a recreated service, and
    // recreates those that name its container (their reference to it changes).
    const sharedRecreated = input.sharesWith(service).find((d) => recreated.has(d))
    const restartRecreated = input.restartsWith(service).find((d) => recreated.has(d))
    const containers = Array.from({ length: desired.replicas }, (_, i): PlannedContainer => {
      const number = i + 1
      const existing = olds.find((c) => c.number === number)
      if (!existing) return { service, number, action: 'create' }
      const reason =
        policy === 'never'
          ? undefined
          : policy === 'force'
            ? 'forced'
            : (staleness(existing, desired) ?? (sharedRecreated && `its dependency ${sharedRecreated} was recreated`))
      if (reason) return { service, number, action: 'recreate', existing, reason }
      if (existing.running && restartRecreated)
        return {
          service,
          number,
          action: 'restart',
          existing,
          reason: `its dependency ${restartRecreated} was recreated`,
        }
      return { service, number, action: existing.running ? 'keep' : 'start', existing }
    })
    const extras = olds
      .filter((c) => c.number > desired.replicas)
      .map((existing): PlannedContainer => ({ service, number: existing.number, action: 'remove', existing }))
    if (containers.some((c) => c.action === 'recreate')) recreated.add(service)
    plan.set(service, [...containers, ...extras])
  }
  return plan
}

/** Why an existing container no longer matches what the files ask, if it does not. */
function staleness(existing: ExistingContainer, desired: DesiredService): string | undefined {
  if (existing.configHash !== desired.configHash) return 'configuration changed'
  if (existing.imageId !== desired.imageId) return 'image changed'
  // Whose clean-up covers it is no reason, as Compose v2 has none: before the plan, this run took
  // over what a live earlier run's reaper covers (reaper-hand-over.ts), and what no reaper covers
  // (made by `up -d`, or released by a foreground run that ended) is kept as v2 keeps it.
  return undefined
}
