import type { ComposeProject, DependencySpec, ServiceSpec } from './types.js'

/** service → the services it must wait for: `depends_on`, with what links, `network_mode: service:…` and `volumes_from` imply. */
export type DependencyGraph = ReadonlyMap<string, readonly string[]>

export function dependencyGraph(project: ComposeProject): DependencyGraph {
  const graph = new Map<string, string[]>()
  for (const service of Object.values(project.services)) {
    // A dependency that is absent here is optional (`required: false`) or already reported.
    graph.set(
      service.name,
      Object.keys(service.dependsOn).filter((dep) => dep in project.services),
    )
  }
  return graph
}

/**
 * The dependencies that other keys imply, as Compose v2 adds them to `depends_on`: a link and
 * `network_mode: service:…` with `restart: true`, `volumes_from` without. An explicit `depends_on`
 * entry for the same service wins.
 */
export function impliedDependencies(service: ServiceReferences): Record<string, DependencySpec> {
  const implied: Record<string, DependencySpec> = {}
  for (const ref of serviceReferences(service))
    implied[ref.service] = { condition: 'service_started', required: true, restart: ref.restart }
  return implied
}

/** The keys of a service that name other services besides `depends_on`. */
type ServiceReferences = Pick<ServiceSpec, 'links' | 'volumesFrom'> & {
  readonly networkMode?: string | undefined
  readonly host?: Pick<ServiceSpec['host'], 'ipc' | 'pid'>
}

/** A service named by another key than `depends_on`, with the key's path under the service. */
export interface ServiceReference {
  readonly service: string
  readonly path: readonly (string | number)[]
  /** Whether a restart of the referenced service restarts this one (links and shared namespaces do). */
  readonly restart: boolean
}

/**
 * Every service that `volumes_from`, `network_mode: service:…`, `ipc: service:…`, `pid: service:…`
 * and `links` name, in that order (a later one wins in impliedDependencies).
 */
export function serviceReferences(service: ServiceReferences): ServiceReference[] {
  const refs: ServiceReference[] = []
  service.volumesFrom.forEach((v, i) => {
    if (!v.startsWith('container:')) refs.push({ service: v.split(':')[0]!, path: ['volumes_from', i], restart: false })
  })
  if (service.networkMode?.startsWith('service:'))
    refs.push({ service: service.networkMode.slice('service:'.length), path: ['network_mode'], restart: true })
  for (const key of ['ipc', 'pid'] as const) {
    const mode = service.host?.[key]
    if (mode?.startsWith('service:')) refs.push({ service: mode.slice('service:'.length), path: [key], restart: true })
  }
  service.links.forEach((link, i) => refs.push({ service: link.service, path: ['links', i], restart: true }))
  return refs
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

/**
 * `services` and everything they reach through `next` (what each depends on, or for `down` what
 * depends on each), however far down the chain: the ones reached first, in dependency order. An
 * edge back to a service already on the way (a cycle, possible only in labels other tools wrote)
 * is passed over.
 */
export function withDependencies(services: readonly string[], next: (s: string) => readonly string[]): string[] {
  const seen = new Set<string>()
  const out: string[] = []
  const add = (s: string): void => {
    if (seen.has(s)) return
    seen.add(s)
    next(s).forEach(add)
    out.push(s)
  }
  services.forEach(add)
  return out
}
