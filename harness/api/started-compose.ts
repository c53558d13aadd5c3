import type { RestartOptions } from '../runtime/project/restart-project.js'
import { hooksOf } from '../runtime/container/hooks.js'
import { toComposeDocument, yamlForm } from '../model/pipeline/to-compose.js'
import { configYaml } from '../model/pipeline/config-text.js'
import { collectContainers, stateEvents, type ContainerBundle } from '../report/container-bundle.js'
import { renderReport } from '../report/render-report.js'
import type { Timeline } from '../report/timeline.js'
import { pageName, writeReportPage } from '../report/write-report.js'
import { projectSecrets, rejections, ServiceStartError } from '../runtime/engine/runtime-errors.js'
import type { LoadedCompose } from '../model/pipeline/load.js'
import { checkServiceNames, UnknownServiceError } from '../model/project/service-selection.js'
import { converge, type ContainerRef } from '../runtime/up/converge.js'
import { downScope, type DownOptions } from './down-scope.js'
import { killProject, type StopOptions } from '../runtime/project/stop-start-kill.js'
import { changeProject } from '../runtime/project/project-actions.js'
import type { Engine } from '../runtime/engine/engine.js'
import type { Reaper } from '../runtime/reaper/reaper.js'
import { checkStarted, DEFAULT_READY_TIMEOUT_MS, type Target, type WaitSpec } from '../runtime/container/readiness.js'
import { groupByService, listProjectContainers, type ExistingContainer } from '../runtime/project/project-containers.js'
import { withProjectLock } from '../runtime/project/project-lock.js'
import { ServiceHandle, type ReadyOptions } from '../runtime/container/service-handle.js'
import { removeDanglingImages, removeThrowawayImages, throwawayImages } from '../runtime/images/throwaway-images.js'
import { buildImages } from '../runtime/images/build-images.js'
import { watchProject, type ProjectWatch, type WatchOptions } from './project-watch.js'

/** What `up` was told: each service's `waitFor`, how long a wait may take, whether a crash takes the volumes, where its report goes. */
export interface UpContext {
  /** The report's directory and this project's timeline, when a report was asked for. */
  readonly report?: { readonly dir: string; readonly timeline: Timeline }
  readonly waitFor?: Readonly<Record<string, WaitSpec>>
  readonly timeoutMs?: number
  readonly reapVolumes?: boolean
  /** Kept for the next run (`up({ reuse })`): disposing of it removes nothing. */
  readonly reused?: boolean
  /** The containers `up` counted as started once they ran (`settle: false`): checked for an exit at once when the project goes. */
  readonly unsettled?: readonly Target[]
}

/** The ids of the containers the fault API touched since the last call, for a shared stack to put back (shared-compose.ts). */
export const TAKE_TOUCHED = Symbol('takeTouched')
/** The same project with handles on the containers the engine has now, for a shared stack whose containers were replaced. */
export const REATTACH = Symbol('reattach')

/**
 * A project that is up. `down()` (or leaving an `await using` block) removes all of it. `S` names
 * its services, for handles checked by the compiler: `StartedCompose<'web' | 'db'>`.
 */
export class StartedCompose<S extends string = string> implements AsyncDisposable {
  readonly #handles: Map<string, readonly ServiceHandle[]>
  readonly #touched = new Set<string>()
  /** The containers `up` counted as started once they ran, to check for an exit at once. */
  readonly #unsettled: readonly Target[]
  /** That check, made once: before the first fault the test inflicts (after it, an exit is the test's doing), or when the project goes. */
  #startCheck?: Promise<ServiceStartError | undefined>
  /** Whether its failure was thrown already (by `checkStarted`, `down` or the disposal): it is thrown once. */
  #startReported = false

  constructor(
    private readonly engine: Engine,
    readonly loaded: LoadedCompose,
    containers: ReadonlyMap<string, readonly ContainerRef[]>,
    /** This process's reaper, when the project is registered with it. */
    private readonly reaper?: Reaper,
    /** What `up` was told, by service: the faults that bring a service back wait for it again when asked. */
    private readonly context: UpContext = {},
  ) {
    this.#handles = new Map([...containers].map(([service, refs]) => [service, this.handles(service, refs)]))
    this.#unsettled = context.unsettled ?? []
  }

  /** Handles on `refs`, containers of `service`, that wait as `up` waited and note the faults inflicted on them. */
  private handles(service: string, refs: readonly ContainerRef[]): ServiceHandle[] {
    const { project } = this.loaded
    const network = (key: string) => ({
      name: project.networks[key]?.name ?? key,
      aliases: [service, ...(project.services[service]?.networks[key]?.aliases ?? [])],
    })
    const waitFor = this.context.waitFor?.[service]
    return refs.map(
      (c) =>
        new ServiceHandle(this.engine, service, c.number, c.id, c.name, network, {
          timeoutMs: this.context.timeoutMs ?? DEFAULT_READY_TIMEOUT_MS,
          ...(waitFor && { waitFor }),
          onFault: (fault, id) => this.noteFault(service, c.name, id, fault),
        }),
    )
  }

  /** The project's name, as the engine's containers, networks and volumes carry it. */
  get name(): string {
    return this.loaded.project.name
  }

  /**
   * Why the engine is known to have gone away since `up` (the connection to this process's reaper
   * was lost with it), or undefined. What the project had is then removed by the reaper once the
   * engine is back; the vitest fixture says so on a failing test.
   */
  get engineGone(): string | undefined {
    return this.reaper?.lostBecause
  }

  /** Container `number` (1 unless scaled) of `service`. */
  service(name: S, number = 1): ServiceHandle {
    const handle = this.containers(name)[number - 1]
    if (!handle)
      throw new UnknownServiceError(
        name,
        this.name,
        `service "${name}" of project "${this.name}" has no container number ${number}`,
      )
    return handle
  }

  /** Every container of `service`, numbered from 1. */
  containers(name: S): readonly ServiceHandle[] {
    const handles = this.#handles.get(name)
    if (!handles)
      throw new UnknownServiceError(
        name,
        this.name,
        `project "${this.name}" has no running service "${name}" (it has ${[...this.#handles.keys()].join(', ')})`,
      )
    return handles
  }

  /** Every container of every service. */
  get services(): readonly ServiceHandle[] {
    return [...this.#handles.values()].flat()
  }

  /** The project's containers as the engine has them now, whatever their state. */
  async ps(): Promise<ExistingContainer[]> {
    return listProjectContainers(this.engine, this.name)
  }

  /**
   * Sets how many containers `service` has, as `up --no-deps --scale SERVICE=N SERVICE` does: new
   * ones are created and started (and waited for, with `ready`), the highest-numbered ones beyond
   * `replicas` removed. Its handles then name the containers it has.
   */
  async scale(service: S, replicas: number, { ready = false, timeoutMs }: ReadyOptions = {}): Promise<void> {
    checkServiceNames(this.loaded.project, [service])
    if (!Number.isInteger(replicas) || replicas < 0)
      throw new RangeError(`scale of service "${service}": ${replicas} is not a number of containers`)
    const { waitFor, reapVolumes } = this.context
    const { containers } = await withProjectLock(this.engine, this.name, { action: 'scale' }, () =>
      converge(this.engine, this.loaded, {
        services: [service],
        noDeps: true,
        scale: { [service]: replicas },
        waitHealthy: ready,
        timeoutMs: timeoutMs ?? this.context.timeoutMs ?? DEFAULT_READY_TIMEOUT_MS,
        ...(waitFor && { waitFor }),
        ...(this.reaper && { session: this.reaper.session }),
        ...(reapVolumes !== undefined && { reapVolumes }),
      }),
    )
    this.#handles.set(service, this.handles(service, containers.get(service) ?? []))
    this.context.report?.timeline.record({ service, kind: 'fault', detail: `scaled to ${replicas}` })
  }

  /**
   * Runs the services' `develop.watch` rules on real changes of their files, as `compose watch`
   * does, until the watch is stopped: `sync` copies the changed files into the containers,
   * `restart` restarts them, `rebuild` builds the image and recreates them, `sync+restart` and
   * `sync+exec` sync and then restart or run their command; `initial_sync` syncs at the start.
   */
  async watch(options: WatchOptions = {}): Promise<ProjectWatch> {
    checkServiceNames(this.loaded.project, options.services)
    const { project } = this.loaded
    return watchProject(
      {
        engine: this.engine,
        project,
        containersOf: async (service) =>
          (await listProjectContainers(this.engine, this.name))
            .filter((c) => c.service === service && c.running)
            .map((c) => c.id),
        restart: (services) => this.restart({ services }),
        rebuild: async (services, prune) => {
          await buildImages(
            this.engine,
            project,
            services.map((s) => project.services[s]!),
            'always',
          )
          await this.recreate(services)
          if (prune) await removeDanglingImages(this.engine, this.name)
        },
      },
      options,
    )
  }

  /** Recreates the services' containers (their dependencies left as they are), as a rebuild of watch does; the handles follow. */
  private async recreate(services: readonly string[]): Promise<void> {
    const { waitFor, reapVolumes } = this.context
    const { containers } = await withProjectLock(this.engine, this.name, { action: 'watch' }, () =>
      converge(this.engine, this.loaded, {
        services,
        noDeps: true,
        recreate: 'force',
        timeoutMs: this.context.timeoutMs ?? DEFAULT_READY_TIMEOUT_MS,
        ...(waitFor && { waitFor }),
        ...(this.reaper && { session: this.reaper.session }),
        ...(reapVolumes !== undefined && { reapVolumes }),
      }),
    )
    for (const service of services) this.#handles.set(service, this.handles(service, containers.get(service) ?? []))
  }

  /**
   * Removes the project's containers (dependents first), networks and, with `volumes`, named
   * volumes; with `services`, those services' containers, then the networks (and volumes) they use
   * that nothing uses any more. Idempotent.
   */
  async down(options?: DownOptions): Promise<void> {
    checkServiceNames(this.loaded.project, options?.services)
    const failed = options?.services?.length ? undefined : await this.startFailure()
    const { project } = this.loaded
    await changeProject(this.engine, this.name, 'down', {
      ...options,
      hooks: hooksOf(project),
      ...(project.nameSeparator && { nameSeparator: project.nameSeparator }),
      ...downScope(this.loaded, options?.services),
    })
    if (failed) throw failed
  }

  /**
   * Throws if a service that `up()` counted as started once it ran (`settle: false`) has, as it
   * turned out, exited at once; checked once (`down()` and the disposal check it themselves).
   */
  async checkStarted(): Promise<void> {
    const failed = await this.startFailure()
    if (failed) throw failed
  }

  /**
   * The failure of a container that `up` counted as started once it ran and that, as it turned
   * out, exited at once (or keeps being restarted), the first time it is asked for (see `startChecked`).
   */
  private async startFailure(): Promise<ServiceStartError | undefined> {
    const failed = await this.startChecked()
    if (!failed || this.#startReported) return undefined
    this.#startReported = true
    return failed
  }

  /** The check of the unsettled containers, made once. */
  private startChecked(): Promise<ServiceStartError | undefined> {
    this.#startCheck ??= Promise.allSettled(this.#unsettled.map(checkStarted)).then((checks) =>
      // A container gone since (a scale, a recreation) is no failure of its start.
      rejections(checks).find((e): e is ServiceStartError => e instanceof ServiceStartError),
    )
    return this.#startCheck
  }

  /** Stops containers, dependents first, keeping them and the network. */
  async stop(options?: StopOptions): Promise<void> {
    checkServiceNames(this.loaded.project, options?.services)
    await this.touch(options?.services)
    await changeProject(this.engine, this.name, 'stop', { ...options, hooks: hooksOf(this.loaded.project) })
  }

  /** Starts stopped containers again, each after what it depends on. */
  async start(options?: Pick<StopOptions, 'services' | 'onProgress'>): Promise<void> {
    checkServiceNames(this.loaded.project, options?.services)
    await changeProject(this.engine, this.name, 'start', { ...options, hooks: hooksOf(this.loaded.project) })
  }

  /** Restarts the services (all when none is named) and their `restart: true` dependents, as Compose v2 does. */
  async restart(options?: RestartOptions): Promise<void> {
    checkServiceNames(this.loaded.project, options?.services)
    await this.touch(options?.services, 'restart')
    await changeProject(this.engine, this.name, 'restart', { ...options, hooks: hooksOf(this.loaded.project) })
  }

  /**
   * From now on the project outlives this process: its reaper no longer removes it when the
   * process ends (a foreground `up` stopped by Ctrl+C keeps its stopped containers, as Compose does).
   */
  async release(): Promise<void> {
    await this.reaper?.release(this.name)
  }

  /** Kills every running container of the project at once (SIGKILL), as a second Ctrl+C does. */
  async kill(): Promise<void> {
    await this.touch(undefined, 'kill')
    await killProject(this.engine, this.name)
  }

  /** Notes the containers of `services` (all when none is named) as touched by a test. */
  private async touch(services?: readonly string[], fault = 'stop'): Promise<void> {
    for (const h of this.services)
      if (!services?.length || services.includes(h.service)) await this.noteFault(h.service, h.name, h.id, fault)
  }

  /**
   * A fault about to be inflicted on a container: touched (a shared stack puts it back), on the
   * report's timeline, and, the first time, the start check made first (what exits after it may be its doing).
   */
  private async noteFault(service: string, container: string, id: string, fault: string): Promise<void> {
    this.#touched.add(id)
    this.context.report?.timeline.record({ service, container, kind: 'fault', detail: fault })
    await this.startChecked()
  }

  /** The ids of the containers touched since the last call. */
  [TAKE_TOUCHED](): ReadonlySet<string> {
    const touched = new Set(this.#touched)
    this.#touched.clear()
    return touched
  }

  async [REATTACH](): Promise<StartedCompose<S>> {
    const now = (await this.ps()).sort((a, b) => a.number - b.number)
    return new StartedCompose<S>(this.engine, this.loaded, groupByService(now), this.reaper, {
      ...this.context,
      unsettled: this.#startCheck ? [] : this.#unsettled,
    })
  }

  /** Whether the project is kept for the next run (`up({ reuse })`). */
  get reused(): boolean {
    return this.context.reused === true
  }

  /**
   * Leaving an `await using` block removes everything, named volumes included, without waiting for
   * graceful stops, and the images built under the project's own name (throwaway-images.ts); a
   * reused project is left as it is, for the next run. A service found to have exited at once
   * after `up` (`settle`) is then thrown.
   */
  async [Symbol.asyncDispose](): Promise<void> {
    const report = this.context.report
    // What the containers went through (exits, health checks) is read before they go.
    const before = report && (await collectContainers(this.services, 0))
    const failed = await this.startFailure()
    if (!this.reused) {
      await this.down({ volumes: true, timeoutS: 0 })
      for (const h of this.services) report?.timeline.record({ service: h.service, container: h.name, kind: 'removed' })
      await removeThrowawayImages(this.engine, this.name, throwawayImages(this.loaded.project))
    }
    if (before) this.writePage(before)
    if (failed) throw failed
  }

  /**
   * When a report was asked for (`up({ report })`, COMPOSE_HARNESS_REPORT), writes the page of a
   * failed test: its errors, the timeline so far, the configuration, and each container's state,
   * health checks, last log lines and inspect. Resolves with the page's path.
   */
  async writeFailureReport(failure: {
    readonly test: string
    readonly errors: readonly string[]
  }): Promise<string | undefined> {
    if (!this.context.report) return undefined
    return this.writePage(await collectContainers(this.services), failure)
  }

  private writePage(
    containers: readonly ContainerBundle[],
    failure?: { readonly test: string; readonly errors: readonly string[] },
  ): string | undefined {
    const report = this.context.report
    if (!report) return undefined
    const { project } = this.loaded
    const timeline = [...report.timeline.events, ...containers.flatMap(stateEvents)].sort((a, b) => a.at - b.at)
    const html = renderReport({
      project: this.name,
      timeline,
      secrets: projectSecrets(project),
      ...(failure && {
        failure,
        containers,
        config: configYaml(yamlForm(toComposeDocument(project, { written: this.loaded.written }))),
      }),
    })
    return writeReportPage(
      report.dir,
      failure ? pageName('failed', failure.test, this.name) : pageName(this.name),
      html,
    )
  }
}
