import { configHash } from '../compose/config-hash.js'
import type { LoadedCompose } from '../compose/load.js'
import type { DependencySpec, ServiceSpec } from '../compose/types.js'
import { logLines } from './container-logs.js'
import { containerSpec } from './container-spec.js'
import type { Engine } from './engine.js'
import { containerLabels, containerName, LABEL } from './labels.js'
import { groupByService, listProjectContainers, type ExistingContainer } from './project-containers.js'
import { ensureResources, removeResources, type CreatedResources } from './project-resources.js'
import { DEFAULT_READY_TIMEOUT_MS, waitForCondition, waitForSpec, waitStarted, type WaitSpec } from './readiness.js'
import { removeContainer } from './remove.js'
import { messageOf, ServiceStartError } from './runtime-errors.js'
import { ServiceContainer } from './service-container.js'

export type ConvergeAction =
  | 'kept' | 'started' | 'created' | 'recreated' | 'restarted' | 'removed'
  | 'waiting' | 'healthy' | 'completed'

export interface ConvergeEvent {
  readonly service: string
  readonly container: string
  readonly action: ConvergeAction
  readonly ms: number
}

export interface ConvergeOptions {
  /** Start only these services and what they depend on (`up SERVICE…`). */
  readonly services?: readonly string[]
  /** `changed` (Compose's default), `force` (`--force-recreate`) or `never` (`--no-recreate`). */
  readonly recreate?: 'changed' | 'force' | 'never'
  /** Remove containers of services no longer in the files (`--remove-orphans`); otherwise they are reported. */
  readonly removeOrphans?: boolean
  /** service → number of containers, over `scale`/`deploy.replicas` (`--scale svc=n`). */
  readonly scale?: Readonly<Record<string, number>>
  /** service → what it must reach before it counts as ready, over the default (healthy if it has a healthcheck, else running). */
  readonly waitFor?: Readonly<Record<string, WaitSpec>>
  /**
   * Before returning, wait for every service with a healthcheck to be healthy and for every other
   * one to have stayed up past its start (or exited 0), failing if one exited at once (`--wait`).
   */
  readonly waitHealthy?: boolean
  readonly timeoutMs?: number
  readonly onEvent?: (event: ConvergeEvent) => void
  readonly onWarning?: (warning: string) => void
}

export interface ContainerRef {
  readonly id: string
  readonly name: string
  readonly number: number
}

export interface Converged {
  /** service → its containers, numbered from 1. */
  readonly containers: ReadonlyMap<string, readonly ContainerRef[]>
}

/**
 * Brings the engine to what the project describes, as Compose v2's `up` does. A running container
 * whose configuration and image are unchanged is kept, a stopped one is started, a changed one is
 * replaced. Each service starts as soon as its own dependencies meet their conditions. When
 * anything fails, what this call created is removed before the error is thrown.
 */
export async function converge(engine: Engine, loaded: LoadedCompose, options: ConvergeOptions = {}): Promise<Converged> {
  const { project, plan } = loaded
  const timeoutMs = options.timeoutMs ?? DEFAULT_READY_TIMEOUT_MS
  const warn = options.onWarning ?? (() => {})
  const existing = groupByService(await listProjectContainers(engine, project.name))
  await handleOrphans(engine, loaded, existing, options, warn)
  const selected = withDependencies(options.services ?? plan.order, (s) => plan.dependencies.get(s) ?? [])
  const created: string[] = []
  const resources: CreatedResources = { networks: [], volumes: [] }
  const containers = new Map<string, ContainerRef[]>()
  const actions = new Map<string, Set<ConvergeAction>>()
  const replicas = (s: string): number => options.scale?.[s] ?? project.services[s]!.replicas
  const nameOf = (s: string, n: number): string => project.services[s]!.containerName ?? containerName(project.name, s, n)
  const containersOf = (s: string): string[] => Array.from({ length: replicas(s) }, (_, i) => nameOf(s, i + 1))

  const readiness = new Map<string, Promise<void>>()
  const ready = (service: string, condition: DependencySpec['condition']): Promise<void> => {
    const key = `${service}:${condition}`
    if (!readiness.has(key)) {
      const image = project.services[service]!.image
      const reached: ConvergeAction = condition === 'service_healthy' ? 'healthy' : 'completed'
      const all = (containers.get(service) ?? []).map(async (c) => {
        if (condition === 'service_started') return
        const started = Date.now()
        options.onEvent?.({ service, container: c.name, action: 'waiting', ms: 0 })
        await waitForCondition({ engine, service, id: c.id, image, timeoutMs }, condition)
        options.onEvent?.({ service, container: c.name, action: reached, ms: Date.now() - started })
      })
      readiness.set(key, Promise.all(all).then(() => undefined))
    }
    return readiness.get(key)!
  }

  const convergeService = async (name: string, restartDue: boolean): Promise<void> => {
    const service = project.services[name]!
    const imageId = (await engine.container.dockerode.getImage(service.image).inspect().catch(() => undefined))?.Id ?? ''
    const hash = configHash(service)
    const olds = existing.get(name) ?? []
    const done = new Set<ConvergeAction>()
    const refs = await Promise.all(Array.from({ length: replicas(name) }, async (_, i): Promise<ContainerRef> => {
      const number = i + 1
      const started = Date.now()
      const cname = nameOf(name, number)
      const labels = containerLabels({ project, service, number, configHash: hash, imageId })
      const old = olds.find((c) => c.number === number)
      const keep = old && (options.recreate === 'never' || (options.recreate !== 'force' && isCurrent(old, labels)))
      let action: ConvergeAction
      let id: string
      if (old && keep) {
        id = old.id
        action = !old.running ? 'started' : restartDue ? 'restarted' : 'kept'
        if (action === 'started') await startExisting(engine, service, old)
        if (action === 'restarted') await engine.container.getById(old.id).restart()
      } else {
        if (old) await removeContainer(engine, old.id)
        const spec = containerSpec({ project, service, name: cname, labels, containersOf })
        id = await createAndStart(engine, service, spec, (newId) => created.push(newId))
        action = old ? 'recreated' : 'created'
      }
      done.add(action)
      options.onEvent?.({ service: name, container: cname, action, ms: Date.now() - started })
      return { id, name: cname, number }
    }))
    for (const extra of olds.filter((c) => c.number > refs.length)) {
      await removeContainer(engine, extra.id)
      options.onEvent?.({ service: name, container: extra.name, action: 'removed', ms: 0 })
    }
    containers.set(name, refs)
    actions.set(name, done)
    const wait = options.waitFor?.[name]
    if (wait) await Promise.all(refs.map(async (c) => waitForSpec({ engine, service: name, id: c.id, image: service.image, timeoutMs }, wait, await reachableHost(engine, c.id))))
  }

  /** Services that failed where only optional dependents needed them: warned about, not waited for again. */
  const tolerated = new Set<string>()
  const runs = new Map<string, Promise<void>>()
  const run = (name: string): Promise<void> => {
    if (!runs.has(name)) runs.set(name, (async () => {
      const service = project.services[name]!
      let restartDue = false
      for (const dep of plan.dependencies.get(name) ?? []) {
        const spec = service.dependsOn[dep] ?? { condition: 'service_started', required: true, restart: false }
        try {
          await run(dep)
          await ready(dep, spec.condition)
          restartDue ||= spec.restart && [...(actions.get(dep) ?? [])].some((a) => a !== 'kept')
        } catch (error) {
          if (spec.required) throw error
          tolerated.add(dep)
          warn(`service "${name}" starts without its optional dependency "${dep}": ${messageOf(error).split('\n')[0]}`)
        }
      }
      await convergeService(name, restartDue)
    })())
    return runs.get(name)!
  }

  try {
    await ensureResources(engine, project, resources)
    const results = await Promise.allSettled(selected.map(run))
    const failures = [...new Set(results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : [])))]
    if (failures.length === 1) throw failures[0]
    if (failures.length > 1) throw new AggregateError(failures, failures.map(messageOf).join('\n'))
    if (options.waitHealthy) {
      const unawaited = selected.filter((s) => !options.waitFor?.[s] && !tolerated.has(s))
      await Promise.all(unawaited.map((s) => {
        if (hasHealthcheck(project.services[s]!)) return ready(s, 'service_healthy')
        const image = project.services[s]!.image
        return Promise.all((containers.get(s) ?? []).map((c) => waitStarted({ engine, service: s, id: c.id, image, timeoutMs })))
      }))
    }
  } catch (error) {
    await Promise.allSettled(created.map((id) => removeContainer(engine, id, 0)))
    await removeResources(engine, resources)
    throw error
  }
  return { containers }
}

function hasHealthcheck(service: ServiceSpec): boolean {
  return service.healthcheck !== undefined && service.healthcheck.test[0] !== 'NONE'
}

/** `services` and everything they depend on, in dependency order. */
function withDependencies(services: readonly string[], dependencies: (s: string) => readonly string[]): string[] {
  const out = new Set<string>()
  const add = (s: string): void => {
    if (out.has(s)) return
    dependencies(s).forEach(add)
    out.add(s)
  }
  services.forEach(add)
  return [...out]
}

async function handleOrphans(engine: Engine, { project }: LoadedCompose, existing: Map<string, ExistingContainer[]>, options: ConvergeOptions, warn: (w: string) => void): Promise<void> {
  const orphans = [...existing].filter(([s]) => !(s in project.services) && !project.disabled.includes(s)).flatMap(([, cs]) => cs)
  if (orphans.length === 0) return
  if (!options.removeOrphans) {
    warn(`Found orphan containers (${orphans.map((c) => c.name).join(', ')}) for this project. If you removed or renamed this service in your compose file, run up with --remove-orphans to clean them up.`)
    return
  }
  await Promise.all(orphans.map(async (c) => {
    await removeContainer(engine, c.id)
    options.onEvent?.({ service: c.service, container: c.name, action: 'removed', ms: 0 })
  }))
}

function isCurrent(old: ExistingContainer, labels: Record<string, string>): boolean {
  return old.configHash === labels[LABEL.configHash] && old.imageId === labels[LABEL.image]
}

async function createAndStart(engine: Engine, service: ServiceSpec, spec: ReturnType<typeof containerSpec>, onCreated: (id: string) => void): Promise<string> {
  try {
    const started = await new ServiceContainer(engine, spec, onCreated).start()
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

/** Where this machine reaches the container: its address on the first of its networks. */
async function reachableHost(engine: Engine, id: string): Promise<string> {
  const networks = (await engine.container.getById(id).inspect()).NetworkSettings.Networks
  return Object.values(networks)[0]?.IPAddress || '127.0.0.1'
}
