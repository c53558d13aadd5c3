import type { Engine } from '../engine/engine.js'
import { inDependencyOrder } from './in-dependency-order.js'
import { rejections } from '../engine/runtime-errors.js'
import { groupByService, listProjectContainers, type ExistingContainer } from './project-containers.js'

/** Runs `action` on each container once every container depending on it is done; returns the failures. */
export async function dependentsFirst(
  engine: Engine,
  project: string,
  services: readonly string[] | undefined,
  action: (c: ExistingContainer) => Promise<void>,
): Promise<unknown[]> {
  const all = await listProjectContainers(engine, project)
  const byService = groupByService(ofServices(all, services))
  const dependents = new Map<string, string[]>()
  for (const c of all) for (const dep of c.dependsOn) dependents.set(dep, [...(dependents.get(dep) ?? []), c.service])
  const failures: unknown[] = []
  await inDependencyOrder(
    [...byService.keys()],
    (s) => dependents.get(s) ?? [],
    async (service) => {
      const results = await Promise.allSettled(byService.get(service)!.map(action))
      failures.push(...rejections(results))
    },
  )
  return failures
}

/** The containers of `services`, or all of them when no service is named (none given, or an empty list, as on Compose's command line). */
export function ofServices(
  containers: readonly ExistingContainer[],
  services: readonly string[] | undefined,
): ExistingContainer[] {
  return services?.length ? containers.filter((c) => services.includes(c.service)) : [...containers]
}

/**
 * `services` and every service whose containers depend on one of them, however far down the chain
 * (from the containers' Compose labels): what `down SERVICE` removes of a project known by its
 * name alone, as Compose v2 removes a service's dependents with it there.
 */
export function withDependents(
  containers: readonly Pick<ExistingContainer, 'service' | 'dependsOn'>[],
  services: readonly string[],
): string[] {
  const chosen = new Set(services)
  for (let grew = true; grew;) {
    grew = false
    for (const c of containers)
      if (!chosen.has(c.service) && c.dependsOn.some((d) => chosen.has(d))) {
        chosen.add(c.service)
        grew = true
      }
  }
  return [...chosen]
}
