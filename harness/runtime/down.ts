import type { Engine } from './engine.js'
import { inDependencyOrder } from './in-dependency-order.js'
import { LABEL } from './labels.js'
import { groupByService, listProjectContainers, listProjectNetworks, type ExistingContainer } from './project-containers.js'
import { deleteContainer, isGone, removeNetwork, stopContainer } from './remove.js'

export interface StopOptions {
  /** Seconds between SIGTERM and SIGKILL (Compose's `-t`); each container's own stop_grace_period (or 10 s) when absent. */
  readonly timeoutS?: number
  /** Only these services (all when absent). */
  readonly services?: readonly string[]
}

export interface DownOptions {
  readonly timeoutS?: number
  /** Also remove the project's named volumes (`down -v`); anonymous ones always go with their containers. */
  readonly volumes?: boolean
  /** Only these services' containers; the project's networks and volumes stay (all, with them, when absent). */
  readonly services?: readonly string[]
}

/**
 * Removes every container of the project (or of `services`), each only after the containers that
 * depend on it; for the whole project, then its networks (and with `volumes`, its named volumes).
 * The order comes from the containers' Compose labels, so no compose file is needed. Safe to call
 * again; all failures are reported together.
 */
export async function downProject(engine: Engine, project: string, { timeoutS, volumes, services }: DownOptions = {}): Promise<void> {
  const docker = engine.container.dockerode
  // What depends on a container only needs it stopped: its removal runs beside the next stops.
  const removals: Promise<void>[] = []
  const failures = await dependentsFirst(engine, project, services, async (c) => {
    await stopContainer(engine, c.id, timeoutS)
    removals.push(deleteContainer(engine, c.id))
  })
  for (const r of await Promise.allSettled(removals)) if (r.status === 'rejected') failures.push(r.reason)
  if (services) {
    if (failures.length > 0) throw new AggregateError(failures, `down of ${services.join(', ')} in project "${project}" left ${failures.length} container(s) behind`)
    return
  }
  const removeEach = async (removals: Promise<unknown>[]): Promise<void> => {
    for (const r of await Promise.allSettled(removals)) if (r.status === 'rejected' && !isGone(r.reason)) failures.push(r.reason)
  }
  await removeEach((await listProjectNetworks(engine, project)).map((n) => removeNetwork(engine, n.id)))
  if (volumes) {
    const named = (await docker.listVolumes({ filters: { label: [`${LABEL.project}=${project}`] } })).Volumes ?? []
    await removeEach(named.map((v) => docker.getVolume(v.Name).remove()))
  }
  if (failures.length > 0) throw new AggregateError(failures, `down of project "${project}" left ${failures.length} thing(s) behind`)
}

/** Stops containers of the project, dependents first, keeping them for a later `up` or `start`. */
export async function stopProject(engine: Engine, project: string, { timeoutS, services }: StopOptions = {}): Promise<void> {
  const failures = await dependentsFirst(engine, project, services, (c) => stopContainer(engine, c.id, timeoutS))
  if (failures.length > 0) throw new AggregateError(failures, `stop of project "${project}" failed for ${failures.length} container(s)`)
}

/** Starts stopped containers of the project, each after the containers it depends on. */
export async function startProject(engine: Engine, project: string, { services }: StopOptions = {}): Promise<void> {
  const containers = select(await listProjectContainers(engine, project), services)
  const byService = groupByService(containers)
  await inDependencyOrder([...byService.keys()], (s) => byService.get(s)!.flatMap((c) => c.dependsOn), async (service) => {
    await Promise.all(byService.get(service)!.filter((c) => !c.running).map((c) => engine.container.getById(c.id).start()))
  })
}

/** SIGKILL to every running container of the project at once: the second Ctrl+C. */
export async function killProject(engine: Engine, project: string): Promise<void> {
  const running = (await listProjectContainers(engine, project)).filter((c) => c.running)
  await Promise.allSettled(running.map((c) => engine.container.getById(c.id).kill({ signal: 'SIGKILL' })))
}

/** Runs `action` on each container once every container depending on it is done; returns the failures. */
async function dependentsFirst(engine: Engine, project: string, services: readonly string[] | undefined, action: (c: ExistingContainer) => Promise<void>): Promise<unknown[]> {
  const all = await listProjectContainers(engine, project)
  const byService = groupByService(select(all, services))
  const dependents = new Map<string, string[]>()
  for (const c of all) for (const dep of c.dependsOn) dependents.set(dep, [...(dependents.get(dep) ?? []), c.service])
  const failures: unknown[] = []
  await inDependencyOrder([...byService.keys()], (s) => dependents.get(s) ?? [], async (service) => {
    const results = await Promise.allSettled(byService.get(service)!.map(action))
    failures.push(...results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : [])))
  })
  return failures
}

function select(containers: readonly ExistingContainer[], services: readonly string[] | undefined): ExistingContainer[] {
  return services ? containers.filter((c) => services.includes(c.service)) : [...containers]
}
