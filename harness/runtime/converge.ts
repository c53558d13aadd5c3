import { configHash } from '../compose/config-hash.js'
import type { LoadedCompose } from '../compose/load.js'
import type { ServiceSpec } from '../compose/types.js'
import { logLines } from './container-logs.js'
import type { Engine } from './engine.js'
import { inDependencyOrder } from './in-dependency-order.js'
import { containerLabels, containerName } from './labels.js'
import { listProjectContainers, type ExistingContainer } from './project-containers.js'
import { ensureNetwork } from './project-network.js'
import { removeContainer } from './remove.js'
import { messageOf, ServiceStartError } from './runtime-errors.js'
import { ServiceContainer } from './service-container.js'

export type ConvergeAction = 'kept' | 'started' | 'created' | 'recreated'

export interface ConvergeEvent {
  readonly service: string
  readonly container: string
  readonly action: ConvergeAction
  readonly ms: number
}

export interface Converged {
  /** service → id of its container (number 1). */
  readonly containers: ReadonlyMap<string, { id: string; name: string }>
}

/**
 * Brings the engine to what the project describes, as Compose v2's `up` does: a running container
 * whose configuration and image are unchanged is kept, a stopped one is started, a changed one is
 * replaced. Each service starts as soon as its own dependencies have started. When anything
 * fails, what this call created is removed before the error is thrown.
 */
export async function converge(engine: Engine, { project, plan }: LoadedCompose, onEvent?: (e: ConvergeEvent) => void): Promise<Converged> {
  const existing = new Map((await listProjectContainers(engine, project.name)).map((c) => [c.service, c]))
  const network = await ensureNetwork(engine, project.name)
  const created: string[] = []
  const containers = new Map<string, { id: string; name: string }>()
  const aliases = linkAliases(Object.values(project.services))

  const startService = async (name: string): Promise<void> => {
    const service = project.services[name]!
    const started = Date.now()
    const imageId = (await engine.container.dockerode.getImage(service.image).inspect().catch(() => undefined))?.Id ?? ''
    const labels = containerLabels({ project, service, number: 1, configHash: configHash(service), imageId })
    const old = existing.get(name)
    const cname = containerName(project.name, name, 1)
    let action: ConvergeAction
    if (old && isCurrent(old, labels)) {
      action = old.running ? 'kept' : 'started'
      if (!old.running) await startExisting(engine, service, old)
      containers.set(name, { id: old.id, name: old.name })
    } else {
      if (old) await removeContainer(engine, old.id)
      action = old ? 'recreated' : 'created'
      const id = await createAndStart(engine, service, { name: cname, labels, network: network.name, aliases: [name, ...(aliases.get(name) ?? [])] })
      created.push(id)
      containers.set(name, { id, name: cname })
    }
    onEvent?.({ service: name, container: cname, action, ms: Date.now() - started })
  }

  try {
    await inDependencyOrder(plan.order, (s) => plan.dependencies.get(s) ?? [], startService)
  } catch (error) {
    await rollback(engine, created, network.created ? network.name : undefined)
    throw error
  }
  return { containers }
}

function isCurrent(old: ExistingContainer, labels: Record<string, string>): boolean {
  return old.configHash === labels['com.docker.compose.config-hash'] && old.imageId === labels['com.docker.compose.image']
}

/** service → the extra host names its links give it on the project network (`talkto`). */
function linkAliases(services: readonly ServiceSpec[]): Map<string, string[]> {
  const aliases = new Map<string, string[]>()
  for (const link of services.flatMap((s) => s.links)) {
    if (link.alias === link.service) continue
    aliases.set(link.service, [...new Set([...(aliases.get(link.service) ?? []), link.alias])])
  }
  return aliases
}

async function createAndStart(engine: Engine, service: ServiceSpec, options: { name: string; labels: Record<string, string>; network: string; aliases: string[] }): Promise<string> {
  try {
    const started = await new ServiceContainer({ service, ...options }).start()
    return started.getId()
  } catch (error) {
    throw new ServiceStartError({ service: service.name, phase: 'start', image: service.image }, messageOf(error), { cause: error })
  }
}

async function startExisting(engine: Engine, service: ServiceSpec, old: ExistingContainer): Promise<void> {
  try {
    await engine.container.start(engine.container.getById(old.id))
  } catch (error) {
    const logTail = await logLines(engine, old.id, 10).catch(() => [])
    throw new ServiceStartError({ service: service.name, phase: 'start', image: service.image, logTail }, messageOf(error), { cause: error })
  }
}

async function rollback(engine: Engine, created: readonly string[], network: string | undefined): Promise<void> {
  await Promise.allSettled(created.map((id) => removeContainer(engine, id, 0)))
  if (network) await engine.container.dockerode.getNetwork(network).remove().catch(() => undefined)
}
