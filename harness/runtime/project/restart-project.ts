import type { Engine } from '../engine/engine.js'
import { inDependencyOrder } from './in-dependency-order.js'
import { groupByService, listProjectContainers } from './project-containers.js'
import { runHooks } from '../container/hooks.js'
import { rejections, throwFailures } from '../engine/runtime-errors.js'
import type { StopOptions } from './stop-start-kill.js'
import { containerId, reported } from '../engine/progress-events.js'

/** What `restart` takes: `stop`'s options, and whether to leave the dependents alone (`--no-deps`). */
export interface RestartOptions extends StopOptions {
  /** Restart only the services named, not the services that depend on them with `restart: true`. */
  readonly noDeps?: boolean
}

/**
 * `restart [SERVICE…]` as Compose v2 does it: the services named (all when none is) and, with
 * them, every service that depends on one of them with `restart: true` (links count), each
 * restarted after what it depends on (only those named, with `noDeps`). Stopped containers are started.
 */
export async function restartProject(
  engine: Engine,
  project: string,
  { services, timeoutS, hooks, noDeps = false, onProgress }: RestartOptions = {},
): Promise<void> {
  const containers = await listProjectContainers(engine, project)
  const byService = groupByService(containers)
  const chosen = new Set(services ?? byService.keys())
  for (let grew = !noDeps; grew;) {
    grew = false
    for (const c of containers) {
      if (!chosen.has(c.service) && c.restartsWith.some((d) => chosen.has(d))) grew = chosen.add(c.service).size > 0
    }
  }
  const failures: unknown[] = []
  await inDependencyOrder(
    [...chosen],
    (s) => (byService.get(s) ?? []).flatMap((c) => c.dependsOn),
    async (service) => {
      const results = await Promise.allSettled(
        // Compose v2 says `Restarting`, then `Started`.
        (byService.get(service) ?? []).map((c) =>
          reported(onProgress, containerId(c.name), ['Restarting', 'Started'], async () => {
            // As a stop does: a failing pre_stop hook is reported, and the container restarted all the same.
            try {
              if (c.running) await runHooks(engine, c, 'pre_stop', hooks?.(c.service).preStop)
            } finally {
              await engine.container.getById(c.id).restart(timeoutS === undefined ? {} : { t: timeoutS })
            }
            await runHooks(engine, c, 'post_start', hooks?.(c.service).postStart)
          }),
        ),
      )
      failures.push(...rejections(results))
    },
  )
  throwFailures(failures, `restart of project "${project}" failed for ${failures.length} container(s)`)
}
