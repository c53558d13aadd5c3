import { dependentsFirst, ofServices } from './dependents-first.js'
import type { Engine } from '../engine/engine.js'
import { inDependencyOrder } from './in-dependency-order.js'
import { groupByService, listProjectContainers } from './project-containers.js'
import { runHooks, stopAfterHooks, type HooksOf } from '../container/hooks.js'
import { throwFailures } from '../engine/runtime-errors.js'
import { containerId, reported, type OnProgress } from '../engine/progress-events.js'

export interface StopOptions {
  /** Seconds between SIGTERM and SIGKILL (Compose's `-t`); each container's own stop_grace_period (or 10 s) when absent. */
  readonly timeoutS?: number
  /** Only these services (all when absent). */
  readonly services?: readonly string[]
  /** The services' lifecycle hooks, from their files: `pre_stop` before a stop, `post_start` after a start. */
  readonly hooks?: HooksOf
  /** Each container as it is stopped or started, in Compose v2's words. */
  readonly onProgress?: OnProgress
}

/** Stops containers of the project, dependents first, keeping them for a later `up` or `start`. */
export async function stopProject(
  engine: Engine,
  project: string,
  { timeoutS, services, hooks, onProgress }: StopOptions = {},
): Promise<void> {
  const failures = await dependentsFirst(await listProjectContainers(engine, project), services, (c) =>
    reported(onProgress, containerId(c.name), ['Stopping', 'Stopped'], () =>
      stopAfterHooks(engine, c, timeoutS, hooks),
    ),
  )
  throwFailures(failures, `stop of project "${project}" failed for ${failures.length} container(s)`)
}

/** Starts stopped containers of the project, each after the containers it depends on. */
export async function startProject(
  engine: Engine,
  project: string,
  { services, hooks, onProgress }: StopOptions = {},
): Promise<void> {
  const containers = ofServices(await listProjectContainers(engine, project), services)
  const byService = groupByService(containers)
  await inDependencyOrder(
    [...byService.keys()],
    (s) => byService.get(s)!.flatMap((c) => c.dependsOn),
    async (service) => {
      await Promise.all(
        byService
          .get(service)!
          .filter((c) => !c.running)
          .map((c) =>
            reported(onProgress, containerId(c.name), ['Starting', 'Started'], async () => {
              await engine.container.getById(c.id).start()
              await runHooks(engine, c, 'post_start', hooks?.(c.service).postStart)
            }),
          ),
      )
    },
  )
}

/** SIGKILL to every running container of the project at once: the second Ctrl+C. */
export async function killProject(engine: Engine, project: string): Promise<void> {
  const running = (await listProjectContainers(engine, project)).filter((c) => c.running)
  await Promise.allSettled(running.map((c) => engine.container.getById(c.id).kill({ signal: 'SIGKILL' })))
}
