import type { ComposeProject, ServiceSpec } from './types.js'

/** service → the services it must wait for: `depends_on`, links, `network_mode: service:…` and `volumes_from`. */
export type DependencyGraph = ReadonlyMap<string, readonly string[]>

export function dependencyGraph(project: ComposeProject): DependencyGraph {
  const graph = new Map<string, string[]>()
  for (const service of Object.values(project.services)) {
    // A dependency that is absent here is optional (`required: false`) or already reported.
    graph.set(service.name, implicitAndExplicitDependencies(service).filter((dep) => dep in project.services))
  }
  return graph
}

export function implicitAndExplicitDependencies(service: ServiceSpec): string[] {
  const networkService = service.networkMode?.startsWith('service:') ? [service.networkMode.slice('service:'.length)] : []
  const volumeServices = service.volumesFrom.filter((v) => !v.startsWith('container:')).map((v) => v.split(':')[0]!)
  return [...new Set([...Object.keys(service.dependsOn), ...service.links.map((l) => l.service), ...networkService, ...volumeServices])]
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
