import type { Engine } from './engine.js'
import { inDependencyOrder } from './in-dependency-order.js'
import { listProjectContainers, listProjectNetworks, type ExistingContainer } from './project-containers.js'
import { DEFAULT_STOP_TIMEOUT_S, isGone, removeContainer, stopContainer } from './remove.js'

export interface DownOptions {
  /** Seconds between SIGTERM and SIGKILL (Compose's `-t`). */
  readonly timeoutS?: number
}

/**
 * Removes every container of the project, each only after the containers that depend on it, then
 * the project's networks. The order comes from the containers' Compose labels, so no compose
 * file is needed. Safe to call again; all failures are reported together.
 */
export async function downProject(engine: Engine, project: string, { timeoutS = DEFAULT_STOP_TIMEOUT_S }: DownOptions = {}): Promise<void> {
  const failures = await dependentsFirst(engine, project, (c) => removeContainer(engine, c.id, timeoutS))
  for (const network of await listProjectNetworks(engine, project)) {
    await engine.container.dockerode.getNetwork(network.id).remove().catch((error: unknown) => {
      if (!isGone(error)) failures.push(error)
    })
  }
  if (failures.length > 0) throw new AggregateError(failures, `down of project "${project}" left ${failures.length} thing(s) behind`)
}

/** Stops every container of the project, dependents first, keeping them for a later `up`. */
export async function stopProject(engine: Engine, project: string, { timeoutS = DEFAULT_STOP_TIMEOUT_S }: DownOptions = {}): Promise<void> {
  const failures = await dependentsFirst(engine, project, (c) => stopContainer(engine, c.id, timeoutS))
  if (failures.length > 0) throw new AggregateError(failures, `stop of project "${project}" failed for ${failures.length} container(s)`)
}

/** SIGKILL to every running container of the project at once: the second Ctrl+C. */
export async function killProject(engine: Engine, project: string): Promise<void> {
  const running = (await listProjectContainers(engine, project)).filter((c) => c.running)
  await Promise.allSettled(running.map((c) => engine.container.getById(c.id).kill({ signal: 'SIGKILL' })))
}

/** Runs `action` on each container once every container depending on it is done; returns the failures. */
async function dependentsFirst(engine: Engine, project: string, action: (c: ExistingContainer) => Promise<void>): Promise<unknown[]> {
  const containers = await listProjectContainers(engine, project)
  const byService = new Map<string, ExistingContainer[]>()
  const dependents = new Map<string, string[]>()
  for (const c of containers) {
    byService.set(c.service, [...(byService.get(c.service) ?? []), c])
    for (const dep of c.dependsOn) dependents.set(dep, [...(dependents.get(dep) ?? []), c.service])
  }
  const failures: unknown[] = []
  await inDependencyOrder([...byService.keys()], (s) => dependents.get(s) ?? [], async (service) => {
    const results = await Promise.allSettled(byService.get(service)!.map(action))
    failures.push(...results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : [])))
  })
  return failures
}
