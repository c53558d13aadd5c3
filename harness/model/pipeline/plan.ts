import { dependencyGraph } from '../project/graph.js'
import type { ValidProject } from './validate.js'
import { InvariantError } from '../../errors.js'

/** What may start when: each service waits only for its own dependencies, never for a whole level. */
export interface StartupPlan {
  /** One order that respects every dependency, ties kept in declaration order. */
  readonly order: readonly string[]
  /** service → the services it waits for. */
  readonly dependencies: ReadonlyMap<string, readonly string[]>
  /** service → the services that wait for it (the order in which `down` must stop them). */
  readonly dependents: ReadonlyMap<string, readonly string[]>
}

export function planStartup(project: ValidProject): StartupPlan {
  const dependencies = dependencyGraph(project)
  const dependents = new Map<string, string[]>([...dependencies.keys()].map((s) => [s, []]))
  for (const [service, deps] of dependencies) for (const dep of deps) dependents.get(dep)!.push(service)
  const order: string[] = []
  const placed = new Set<string>()
  while (order.length < dependencies.size) {
    const next = [...dependencies.keys()].find(
      (s) => !placed.has(s) && dependencies.get(s)!.every((d) => placed.has(d)),
    )
    if (next === undefined) throw new InvariantError('planStartup needs a validated project (it has a cycle)')
    order.push(next)
    placed.add(next)
  }
  return { order, dependencies, dependents }
}
