import { withDependencies } from '../../model/project/graph.js'
import { inDependencyOrder } from './in-dependency-order.js'
import { rejections } from '../engine/runtime-errors.js'
import { groupByService, type ExistingContainer } from './project-containers.js'

type Dependent = Pick<ExistingContainer, 'service' | 'dependsOn'>

/**
 * Runs `action` on each of `containers` (of `services`, when given) once every container depending
 * on it is done; returns the failures.
 */
export async function dependentsFirst(
  containers: readonly ExistingContainer[],
  services: readonly string[] | undefined,
  action: (c: ExistingContainer) => Promise<void>,
): Promise<unknown[]> {
  const byService = groupByService(ofServices(containers, services))
  const dependents = dependentsOf(containers)
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

/** Each service → the services whose containers depend on it, from the containers' Compose labels. */
export function dependentsOf(containers: readonly Dependent[]): Map<string, string[]> {
  const dependents = new Map<string, string[]>()
  for (const c of containers)
    for (const dep of c.dependsOn) dependents.set(dep, [...(dependents.get(dep) ?? []), c.service])
  return dependents
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
export function withDependents(containers: readonly Dependent[], services: readonly string[]): string[] {
  const dependents = dependentsOf(containers)
  return withDependencies(services, (s) => dependents.get(s) ?? [])
}
