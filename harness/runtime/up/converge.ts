import { primaryNetwork, runPreStart, stopAfterHooks } from '../container/hooks.js'
import { createServiceContainer } from '../create/service-container.js'
import { configHash } from '../../model/pipeline/config-hash.js'
import type { LoadedCompose } from '../../model/pipeline/load.js'
import { serviceReferences, withDependencies } from '../../model/project/graph.js'
import { nameSeparatorOf, type DependencySpec, type ServiceSpec } from '../../model/project/types.js'
import { containerSpec, namesOtherContainers } from '../create/container-spec.js'
import { isPodman, linksPodmanIgnores } from '../engine/podman.js'
import { defaultPublishAddress, onThisMachine } from '../engine/publish-address.js'
import type { ConvergeAction, ConvergeOptions } from './converge-options.js'
import { planConvergence, type DesiredService, type PlannedContainer } from './convergence-plan.js'
import type { Engine } from '../engine/engine.js'
import { containerLabels, containerName } from '../engine/labels.js'
import { groupByService, listProjectContainers, type ExistingContainer } from '../project/project-containers.js'
import { ensureResources, removeResources, type CreatedResources } from '../create/project-resources.js'
import {
  DEFAULT_READY_TIMEOUT_MS,
  hasHealthcheck,
  waitForCondition,
  waitForSpec,
  waitStarted,
  checkStarted,
  type Target,
} from '../container/readiness.js'
import { removeContainer } from '../engine/remove.js'
import { containerId, reported } from '../engine/progress-events.js'
import { messageOf, rejections, throwFailures } from '../engine/runtime-errors.js'
import { createAndStart, startExisting } from './start-container.js'
import { handleOrphans } from './orphans.js'
import { ImageLookup } from '../images/image-lookup.js'

/** What Compose v2 says of a dependency once it meets its condition. */
const READY_WORDS: Record<DependencySpec['condition'], string> = {
  service_started: 'Started',
  service_healthy: 'Healthy',
  service_completed_successfully: 'Exited',
}

const ACTION_EVENTS: Record<PlannedContainer['action'], ConvergeAction> = {
  keep: 'kept',
  start: 'started',
  restart: 'restarted',
  recreate: 'recreated',
  create: 'created',
  remove: 'removed',
}

/** What a step did when nothing is started: a container made is only created; one to start is left as it is. */
function noStartAction(action: PlannedContainer['action']): ConvergeAction {
  return action === 'create' || action === 'recreate'
    ? 'created-only'
    : action === 'start' || action === 'restart'
      ? 'kept'
      : ACTION_EVENTS[action]
}

export interface ContainerRef {
  readonly id: string
  readonly name: string
  readonly number: number
}

export interface Converged {
  /** service → its containers, numbered from 1. */
  readonly containers: ReadonlyMap<string, readonly ContainerRef[]>
  /** The containers counted as started once they ran, their startup grace not waited out (`settle: false`): for `checkStarted` later. */
  readonly unsettled: readonly Target[]
}

/**
 * Brings the engine to what the project describes, as Compose v2's `up` does: first a plan of
 * what to do with each container (`convergence-plan.ts`: keep, start, recreate, create, remove),
 * then the plan carried out, each service as soon as its own dependencies meet their conditions.
 * When anything fails, what this call created is removed before the error is thrown.
 */
export async function converge(
  engine: Engine,
  loaded: LoadedCompose,
  options: ConvergeOptions = {},
  /** The images as this `up` has already asked for them (pulls and builds). */
  images = new ImageLookup(engine),
): Promise<Converged> {
  return new Convergence(engine, loaded, options, images).execute()
}

/** The services an `up` of `options.services` starts (with their dependencies unless `noDeps`), in dependency order. */
export function servicesInScope(
  { plan }: LoadedCompose,
  { services, noDeps }: Pick<ConvergeOptions, 'services' | 'noDeps'>,
): string[] {
  const named = services ?? plan.order
  const inScope = new Set(noDeps ? named : withDependencies(named, (s) => plan.dependencies.get(s) ?? []))
  return plan.order.filter((s) => inScope.has(s))
}

/** One `up`: what it has created (to undo on failure), started, and is waiting for. */
class Convergence {
  private readonly project: LoadedCompose['project']
  private readonly timeoutMs: number
  private readonly warn: (warning: string) => void
  private readonly desired = new Map<string, DesiredService>()
  private plan = new Map<string, PlannedContainer[]>()
  private inScope: ReadonlySet<string> = new Set()
  private readonly created: string[] = []
  private readonly resources: CreatedResources = { networks: [], volumes: [] }
  private readonly containers = new Map<string, ContainerRef[]>()
  /** The containers the engine had for the project when this `up` began, by service. */
  private existing: ReadonlyMap<string, readonly ExistingContainer[]> = new Map()
  private readonly readiness = new Map<string, Promise<void>>()
  private readonly runs = new Map<string, Promise<void>>()
  private readonly preStarts = new Map<string, Promise<void>>()
  /** Services that failed where only optional dependents needed them: warned about, not waited for again. */
  private readonly tolerated = new Set<string>()
  private readonly unsettled: Target[] = []
  private publishAddress = '127.0.0.1'

  constructor(
    private readonly engine: Engine,
    private readonly loaded: LoadedCompose,
    private readonly options: ConvergeOptions,
    private readonly images: ImageLookup,
  ) {
    this.project = loaded.project
    this.timeoutMs = options.timeoutMs ?? DEFAULT_READY_TIMEOUT_MS
    this.warn = options.onWarning ?? (() => {})
  }

  async execute(): Promise<Converged> {
    const { plan } = this.loaded
    const existing = groupByService(await listProjectContainers(this.engine, this.project.name))
    await handleOrphans(this.engine, this.loaded, existing, this.options, this.warn)
    const named = this.options.services ?? plan.order
    const selected = servicesInScope(this.loaded, this.options)
    this.inScope = new Set(selected)
    this.publishAddress = defaultPublishAddress(await onThisMachine(this.engine.info.containerRuntime.host))
    const ignoredLinks = linksPodmanIgnores(this.project, selected)
    if (ignoredLinks.length > 0 && (await isPodman(this.engine))) ignoredLinks.forEach(this.warn)
    await this.decide(selected, named, existing)
    try {
      await ensureResources(this.engine, this.project, this.resources, {
        session: this.options.session,
        reapVolumes: this.options.reapVolumes,
        onProgress: this.options.onProgress,
        allResources: this.options.allResources,
      })
      const results = await Promise.allSettled(selected.map((s) => this.run(s)))
      throwFailures(rejections(results))
      if (this.options.waitHealthy && !this.options.noStart) await this.waitForAll(selected)
    } catch (error) {
      if (!this.options.keepOnFailure) {
        await Promise.allSettled(this.created.map((id) => removeContainer(this.engine, id, 0)))
        await removeResources(this.engine, this.resources)
      }
      throw error
    }
    return { containers: this.containers, unsettled: this.unsettled }
  }

  /**
   * A service's run, started once. Its containers are created at once, beside its dependencies'
   * (creating needs nothing of them), and started only when the dependencies meet their conditions.
   */
  private run(name: string): Promise<void> {
    if (!this.runs.has(name)) this.runs.set(name, this.convergeService(name, this.dependenciesReady(name)))
    return this.runs.get(name)!
  }

  /** What each container of `selected` must be, and the plan that gets it there (the decisions, before any action). */
  private async decide(
    selected: readonly string[],
    named: readonly string[],
    existing: Map<string, ExistingContainer[]>,
  ): Promise<void> {
    const imageIds = await Promise.all(selected.map((s) => this.imageId(s)))
    this.existing = existing
    selected.forEach((s, i) =>
      this.desired.set(s, {
        replicas: this.replicas(s),
        configHash: configHash(this.project.services[s]!, { containerOf: (other) => this.firstContainer(other) }),
        imageId: imageIds[i]!,
        ...(this.options.session && { session: this.options.session }),
      }),
    )
    this.plan = planConvergence({
      order: selected,
      dependencies: (s) => this.dependencies(s),
      restartsWith: (s) => this.dependencies(s).filter((d) => this.project.services[s]!.dependsOn[d]?.restart),
      sharesWith: (s) =>
        serviceReferences(this.project.services[s]!)
          .filter((ref) => ref.path[0] !== 'links')
          .map((ref) => ref.service),
      named: new Set(named),
      recreate: this.options.recreate ?? 'changed',
      recreateDependencies: this.options.recreateDependencies ?? 'changed',
      desired: (s) => this.desired.get(s)!,
      existing,
    })
  }

  /** The dependencies of `name` that this `up` converges too (`--no-deps` leaves them as they are). */
  private dependencies(name: string): string[] {
    return (this.loaded.plan.dependencies.get(name) ?? []).filter((d) => this.inScope.has(d))
  }

  /**
   * Resolves once every dependency of `name` that this `up` converges meets its condition: waited
   * for all at once, as Compose v2 waits for them; the first required one to fail fails `name`.
   */
  private async dependenciesReady(name: string): Promise<void> {
    const service = this.project.services[name]!
    await Promise.all(
      this.dependencies(name).map(async (dep) => {
        const spec = service.dependsOn[dep]!
        try {
          await this.run(dep)
          if (!this.options.noStart) await this.ready(dep, spec.condition)
        } catch (error) {
          if (spec.required) throw error
          this.tolerated.add(dep)
          this.warn(
            `service "${name}" starts without its optional dependency "${dep}": ${messageOf(error).split('\n')[0]}`,
          )
        }
      }),
    )
  }

  /** Resolves once every container of `service` meets `condition` (each pair waited for once). */
  private ready(service: string, condition: DependencySpec['condition']): Promise<void> {
    const key = `${service}:${condition}`
    if (!this.readiness.has(key)) {
      const image = this.project.services[service]!.image
      const reached: ConvergeAction = condition === 'service_healthy' ? 'healthy' : 'completed'
      const all = (this.containers.get(service) ?? []).map(async (c) => {
        if (condition === 'service_started') return
        const started = Date.now()
        this.options.onEvent?.({ service, container: c.name, action: 'waiting', ms: 0 })
        await reported(this.options.onProgress, containerId(c.name), ['Waiting', READY_WORDS[condition]], () =>
          waitForCondition({ engine: this.engine, service, id: c.id, image, timeoutMs: this.timeoutMs }, condition),
        )
        this.options.onEvent?.({ service, container: c.name, action: reached, ms: Date.now() - started })
      })
      this.readiness.set(
        key,
        Promise.all(all).then(() => undefined),
      )
    }
    return this.readiness.get(key)!
  }

  private async convergeService(name: string, dependenciesReady: Promise<void>): Promise<void> {
    // Awaited below in any case; this keeps a failure from counting as unhandled until then.
    dependenciesReady.catch(() => {})
    const service = this.project.services[name]!
    const planned = this.plan.get(name) ?? []
    const refs = await Promise.all(
      planned.filter((p) => p.action !== 'remove').map((p) => this.convergeContainer(service, p, dependenciesReady)),
    )
    await dependenciesReady
    for (const extra of planned.filter((p) => p.action === 'remove')) {
      await this.replace(service, extra.existing!, true)
      this.options.onEvent?.({ service: name, container: extra.existing!.name, action: 'removed', ms: 0 })
    }
    this.containers.set(name, refs)
    const wait = this.options.noStart ? undefined : this.options.waitFor?.[name]
    if (wait) {
      await Promise.all(
        refs.map(async (c) =>
          waitForSpec(
            { engine: this.engine, service: name, id: c.id, image: service.image, timeoutMs: this.timeoutMs },
            wait,
          ),
        ),
      )
    }
  }

  /**
   * Removes a container that a new one replaces, or that scaling down drops, after its `pre_stop`
   * hooks; a failing hook is reported, and the container removed all the same, as `down` does.
   */
  private async replace(service: ServiceSpec, old: ExistingContainer, shown = false): Promise<void> {
    const onProgress = shown ? this.options.onProgress : undefined
    const id = containerId(old.name)
    try {
      await reported(onProgress, id, ['Stopping', 'Stopped'], () =>
        stopAfterHooks(this.engine, old, undefined, () => service.run),
      )
    } finally {
      await reported(onProgress, id, ['Removing', 'Removed'], () => removeContainer(this.engine, old.id))
    }
  }

  /**
   * The service's `pre_start` steps, run once before its containers start, when none of them runs
   * (as Compose v2 runs them): with the volumes of `container`, the first of its containers to get there.
   */
  private preStart(service: ServiceSpec, container: string): Promise<void> {
    if (!this.preStarts.has(service.name)) {
      const planned = (this.plan.get(service.name) ?? []).filter((p) => p.action !== 'remove')
      const noneRunning = planned.every((p) => p.action !== 'keep')
      const steps = service.run.preStart ?? []
      this.preStarts.set(
        service.name,
        steps.length > 0 && noneRunning
          ? runPreStart(
              this.engine,
              this.project.name,
              service,
              container,
              primaryNetwork(this.project, service),
              this.options.session,
            )
          : Promise.resolve(),
      )
    }
    return this.preStarts.get(service.name)!
  }

  /** Carries out the plan for one container; nothing is started before `dependenciesReady`. */
  private async convergeContainer(
    service: ServiceSpec,
    planned: PlannedContainer,
    dependenciesReady: Promise<void>,
  ): Promise<ContainerRef> {
    let started = Date.now()
    const markStarted = (): void => {
      started = Date.now()
    }
    const { number, existing } = planned
    const name = this.nameOf(service.name, number)
    let id = existing?.id ?? ''
    if ((planned.action === 'start' || planned.action === 'restart') && this.options.noStart) {
      // `create`: a container stays as it is.
    } else if (planned.action === 'restart') {
      // Stopped while its recreated dependency is replaced, started again once that one is ready.
      await reported(this.options.onProgress, containerId(name), ['Restart', 'Restarted'], async () => {
        await stopAfterHooks(this.engine, existing!, undefined, () => service.run)
        await dependenciesReady
        markStarted()
        await startExisting(this.engine, service, existing!)
      })
    } else if (planned.action === 'start') {
      await dependenciesReady
      await this.preStart(service, existing!.id)
      markStarted()
      await reported(this.options.onProgress, containerId(name), ['Starting', 'Started'], () =>
        startExisting(this.engine, service, existing!),
      )
    } else if (planned.action === 'keep' && existing?.running) {
      this.options.onProgress?.({ id: containerId(name), status: 'Running', state: 'done' })
    } else if (planned.action === 'create' || planned.action === 'recreate') {
      id = await this.createFor(service, planned, name, dependenciesReady, markStarted)
    }
    this.options.onEvent?.({
      service: service.name,
      container: name,
      action: this.options.noStart ? noStartAction(planned.action) : ACTION_EVENTS[planned.action],
      ms: Date.now() - started,
    })
    return { id, name, number }
  }

  /**
   * A new container for the plan (the existing one replaced, for `recreate`), started once its
   * dependencies are ready unless `noStart`; its ID.
   */
  private async createFor(
    service: ServiceSpec,
    { number, existing }: PlannedContainer,
    name: string,
    dependenciesReady: Promise<void>,
    markStarted: () => void,
  ): Promise<string> {
    // Compose v2's words: `Recreate` then `Recreated` for a replaced container, `Creating` then `Created` for a new one.
    const progress = (status: string, state: 'working' | 'done' | 'error') =>
      this.options.onProgress?.({ id: containerId(existing?.name ?? name), status, state })
    const [working, done] = existing ? ['Recreate', 'Recreated'] : ['Creating', 'Created']
    progress(working, 'working')
    let id = ''
    try {
      if (existing) await this.replace(service, existing)
      // network_mode: service:… and volumes_from name a container that must exist when this one is created.
      if (namesOtherContainers(service)) await dependenciesReady
      const spec = this.specFor(service, name, number)
      const onCreated = (newId: string, warnings: readonly string[]): void => {
        this.created.push(newId)
        id = newId
        // What the engine warned of, under the service's name, as Compose v2 shows it (` web Your kernel does not support …`).
        for (const text of warnings) this.options.onProgress?.({ id: service.name, text, status: '', state: 'warning' })
        progress(done, 'done')
      }
      if (this.options.noStart) return await createServiceContainer(this.engine, spec, onCreated)
      let starting = false
      const started = await createAndStart(
        this.engine,
        service,
        spec,
        onCreated,
        async () => {
          await dependenciesReady
          await this.preStart(service, id)
          markStarted()
          starting = true
          this.options.onProgress?.({ id: containerId(name), status: 'Starting', state: 'working' })
        },
        this.warn,
      ).catch((error: unknown) => {
        if (starting) this.options.onProgress?.({ id: containerId(name), status: 'Error', state: 'error' })
        throw error
      })
      this.options.onProgress?.({ id: containerId(name), status: 'Started', state: 'done' })
      return started
    } catch (error) {
      // Not yet created: the error is the create's.
      if (id === '') progress('Error', 'error')
      throw error
    }
  }

  /**
   * The ID of `service`'s first container (by name): the one this `up` converged, else the one the
   * engine had. Compose v2 hashes a service that shares its namespaces or volumes with it so.
   */
  private firstContainer(service: string): string | undefined {
    const converged = this.containers.get(service)?.[0]?.id
    const existing = [...(this.existing.get(service) ?? [])].sort((a, b) => (a.name < b.name ? -1 : 1))[0]?.id
    return converged || existing
  }

  /** What the engine is asked to create for container `number` of `service`, labelled as Compose v2 labels it. */
  private specFor(service: ServiceSpec, name: string, number: number): ReturnType<typeof containerSpec> {
    const { imageId, session } = this.desired.get(service.name)!
    const labels = containerLabels({
      project: this.project,
      service,
      number,
      // Computed again: a service it shares with may have a new container since the plan was made.
      configHash: configHash(service, { containerOf: (other) => this.firstContainer(other) }),
      imageId,
      ...(session && { session }),
    })
    return containerSpec({
      project: this.project,
      service,
      name,
      number,
      labels,
      containersOf: (s) => this.containersOf(s),
      publishAddress: this.publishAddress,
    })
  }

  /** The image's ID as the engine has it now (built or pulled before convergence starts); '' when it has none. */
  private imageId(service: string): Promise<string> {
    return this.images.id(this.project.services[service]!.image)
  }

  /**
   * `--wait`: healthchecked services healthy, the others up past their start (or exited 0); with
   * `settle: false`, the others only running (or exited 0), their grace left to `checkStarted` later.
   */
  private async waitForAll(selected: readonly string[]): Promise<void> {
    const unawaited = selected.filter((s) => !this.options.waitFor?.[s] && !this.tolerated.has(s))
    const settle = this.options.settle ?? true
    await Promise.all(
      unawaited.map((s) => {
        if (hasHealthcheck(this.project.services[s]!)) return this.ready(s, 'service_healthy')
        const image = this.project.services[s]!.image
        return Promise.all(
          (this.containers.get(s) ?? []).map((c) => {
            const target = { engine: this.engine, service: s, id: c.id, image, timeoutMs: this.timeoutMs }
            if (settle) return waitStarted(target)
            this.unsettled.push(target)
            return checkStarted(target)
          }),
        )
      }),
    )
  }

  private replicas(service: string): number {
    return this.options.scale?.[service] ?? this.project.services[service]!.replicas
  }

  private nameOf(service: string, number: number): string {
    return (
      this.project.services[service]!.containerName ??
      containerName(this.project.name, service, number, nameSeparatorOf(this.project))
    )
  }

  private containersOf(service: string): string[] {
    return Array.from({ length: this.replicas(service) }, (_, i) => this.nameOf(service, i + 1))
  }
}
