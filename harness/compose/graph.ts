import type { ComposeProject } from './types.js'

/** service → the services it must wait for: its `depends_on` entries and the targets of its links. */
export type DependencyGraph = ReadonlyMap<string, readonly string[]>

export function dependencyGraph(project: ComposeProject): DependencyGraph {
  const graph = new Map<string, string[]>()
  for (const service of Object.values(project.services)) {
    const deps = [...Object.keys(service.dependsOn), ...service.links.map((l) => l.service)]
    graph.set(service.name, [...new Set(deps)])
  }
  return graph
}

/** The first dependency cycle, as `['a', 'b', 'a']` starting from its alphabetically first service. */
export function findCycle(graph: DependencyGraph): string[] | undefined {
  const done = new Set<string>()
  const visit = (node: string, trail: string[]): string[] | undefined => {
    const seen = trail.indexOf(node)
    if (seen >= 0) return rotate(trail.slice(seen))
    if (done.has(node)) return undefined
    for (const dep of [...(graph.get(node) ?? [])].sort()) {
      const cycle = visit(dep, [...trail, node])
      if (cycle) return cycle
    }
    done.add(node)
    return undefined
  }
  for (const node of [...graph.keys()].sort()) {
    const cycle = visit(node, [])
    if (cycle) return cycle
  }
  return undefined
}

function rotate(cycle: string[]): string[] {
  const first = cycle.indexOf([...cycle].sort()[0]!)
  const ordered = [...cycle.slice(first), ...cycle.slice(0, first)]
  return [...ordered, ordered[0]!]
}
