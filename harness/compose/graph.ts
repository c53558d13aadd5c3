import type { ComposeProject, DependencySpec, ServiceSpec } from './types.js'

/** service → the services it must wait for: `depends_on`, with what links, `network_mode: service:…` and `volumes_from` imply. */
export type DependencyGraph = ReadonlyMap<string, readonly string[]>

export function dependencyGraph(project: ComposeProject): DependencyGraph {
  const graph = new Map<string, string[]>()
  for (const service of Object.values(project.services)) {
    // A dependency that is absent here is optional (`required: false`) or already reported.
    graph.set(service.name, Object.keys(service.dependsOn).filter((dep) => dep in project.services))
  }
  return graph
}

/**
 * The dependencies that other keys imply, as Compose v2 adds them to `depends_on`: a link and
 * `network_mode: service:…` with `restart: true`, `volumes_from` without. An explicit `depends_on`
 * entry for the same service wins.
 */
export function impliedDependencies(service: Pick<ServiceSpec, 'links' | 'networkMode' | 'volumesFrom'>): Record<string, DependencySpec> {
  const started = (restart: boolean): DependencySpec => ({ condition: 'service_started', required: true, restart })
  const implied: Record<string, DependencySpec> = {}
  for (const v of service.volumesFrom) if (!v.startsWith('container:')) implied[v.split(':')[0]!] = started(false)
  if (service.networkMode?.startsWith('service:')) implied[service.networkMode.slice('service:'.length)] = started(true)
  for (const link of service.links) implied[link.service] = started(true)
  return implied
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
