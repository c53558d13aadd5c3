import type { RecreatePolicy } from './convergence-plan.js'
import type { WaitSpec } from '../container/readiness.js'
import type { OnProgress } from '../engine/progress-events.js'

/** What `up` (`converge`) is asked to do, and what it reports as it goes. */

export type ConvergeAction =
  | 'kept'
  | 'started'
  | 'created'
  /** Created and not started (`create`, `up --no-start`). */
  | 'created-only'
  | 'recreated'
  /** Stopped and started again: a `restart: true` dependency of it was recreated. */
  | 'restarted'
  | 'removed'
  | 'waiting'
  | 'healthy'
  | 'completed'

export interface ConvergeEvent {
  readonly service: string
  readonly container: string
  readonly action: ConvergeAction
  readonly ms: number
}

export interface ConvergeOptions {
  /** Start only these services and what they depend on (`up SERVICE…`). */
  readonly services?: readonly string[]
  /** With `services`: not what they depend on (`up --no-deps`). */
  readonly noDeps?: boolean
  /**
   * `changed` (Compose's default), `force` (`--force-recreate`) or `never` (`--no-recreate`), for
   * the services named (all when none is); what they depend on is recreated only when it changed.
   */
  readonly recreate?: RecreatePolicy
  /**
   * The policy of the services brought along as dependencies of those named: `changed` by default,
   * `force` (`--always-recreate-deps`), `never` (`--no-recreate`, which Compose v2 applies to them too).
   */
  readonly recreateDependencies?: RecreatePolicy
  /** Create every network and volume the files declare, not only those the services use (`--all-resources`). */
  readonly allResources?: boolean
  /** Remove containers of services no longer in the files (`--remove-orphans`); otherwise they are reported. */
  readonly removeOrphans?: boolean
  /** Leave those containers alone and say nothing of them (COMPOSE_IGNORE_ORPHANS), `removeOrphans` or not, as Compose v2 does (its CLI refuses the two together). */
  readonly ignoreOrphans?: boolean
  /** service → number of containers, over `scale`/`deploy.replicas` (`--scale svc=n`). */
  readonly scale?: Readonly<Record<string, number>>
  /** service → what it must reach before it counts as ready, over the default (healthy if it has a healthcheck, else running). */
  readonly waitFor?: Readonly<Record<string, WaitSpec>>
  /**
   * Before returning, wait for every service with a healthcheck to be healthy and for every other
   * one to have stayed up past its start (or exited 0), failing if one exited at once (`--wait`).
   */
  readonly waitHealthy?: boolean
  /**
   * With `waitHealthy`, whether `up` waits out the startup grace of the services it counts as
   * started (true, the CLI's `--wait`); with false it returns once they run, and reports them
   * (`Converged.unsettled`) for the caller to check afterwards (`checkStarted`).
   */
  readonly settle?: boolean
  /**
   * Create the containers (and networks and volumes) without starting them (`create`, `up
   * --no-start`): nothing is waited for, and a stopped container stays stopped.
   */
  readonly noStart?: boolean
  /**
   * When `up` fails, keep what it created (containers, networks, volumes) for `ps -a` and `logs`,
   * as Compose v2 does: the CLI's `up -d` and `create`. By default a failed `up` removes it all.
   */
  readonly keepOnFailure?: boolean
  readonly timeoutMs?: number
  readonly onEvent?: (event: ConvergeEvent) => void
  /** Each network, volume and container as it is created, started, recreated or removed, in Compose v2's words (the CLI's progress). */
  readonly onProgress?: OnProgress
  readonly onWarning?: (warning: string) => void
  /** The session of this process's reaper, labelled on what this up creates; absent when not reaped (`up -d`). */
  readonly session?: string
  /**
   * Whether the reaper also removes the named volumes this up creates (true, the API's test-scoped
   * projects); the CLI's foreground `up` passes false: a crash never takes a user's data.
   */
  readonly reapVolumes?: boolean
}
