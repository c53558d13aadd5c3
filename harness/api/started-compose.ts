import { hooksOf } from '../runtime/hooks.js'
import type { LoadedCompose } from '../model/load.js'
import { checkServiceNames, UnknownServiceError } from '../model/service-selection.js'
import type { ContainerRef } from '../runtime/converge.js'
import type { DownOptions } from '../runtime/down.js'
import { killProject, type StopOptions } from '../runtime/stop-project.js'
import { changeProject } from '../runtime/project-actions.js'
import type { Engine } from '../runtime/engine.js'
import type { Reaper } from '../runtime/reaper.js'
import { DEFAULT_READY_TIMEOUT_MS, type WaitSpec } from '../runtime/readiness.js'
import { ServiceHandle } from '../runtime/service-handle.js'
import { removeThrowawayImages, throwawayImages } from '../runtime/throwaway-images.js'

/** What `up` was told to wait for: each service's `waitFor`, and how long a wait may take. */
export interface ProjectReadiness {
  readonly waitFor?: Readonly<Record<string, WaitSpec>>
  readonly timeoutMs?: number
}

/**
 * A project that is up. `down()` (or leaving an `await using` block) removes all of it. `S` names
 * its services, for handles checked by the compiler: `StartedCompose<'web' | 'db'>`.
 */
export class StartedCompose<S extends string = string> implements AsyncDisposable {
  readonly #handles: ReadonlyMap<string, readonly ServiceHandle[]>

  constructor(
    private readonly engine: Engine,
    readonly loaded: LoadedCompose,
    containers: ReadonlyMap<string, readonly ContainerRef[]>,
    /** This process's reaper, when the project is registered with it. */
    private readonly reaper?: Reaper,
    /** What `up` waited for, by service: the faults that bring a service back wait for it again when asked. */
    readiness: ProjectReadiness = {},
  ) {
    const { project } = loaded
    const network = (service: string) => (key: string) => ({
      name: project.networks[key]?.name ?? key,
      aliases: [service, ...(project.services[service]?.networks[key]?.aliases ?? [])],
    })
    this.#handles = new Map(
      [...containers].map(([service, refs]) => [
        service,
        refs.map(
          (c) =>
            new ServiceHandle(engine, service, c.number, c.id, c.name, network(service), {
              timeoutMs: readiness.timeoutMs ?? DEFAULT_READY_TIMEOUT_MS,
              ...(readiness.waitFor?.[service] && { waitFor: readiness.waitFor[service] }),
            }),
        ),
      ]),
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

  /**
   * Removes the project's containers (dependents first), networks and, with `volumes`, named
   * volumes; with `services`, only those services' containers. Idempotent.
   */
  async down(options?: DownOptions): Promise<void> {
    checkServiceNames(this.loaded.project, options?.services)
    await changeProject(this.engine, this.name, 'down', { ...options, hooks: hooksOf(this.loaded.project) })
  }

  /** Stops containers, dependents first, keeping them and the network. */
  async stop(options?: StopOptions): Promise<void> {
    checkServiceNames(this.loaded.project, options?.services)
    await changeProject(this.engine, this.name, 'stop', { ...options, hooks: hooksOf(this.loaded.project) })
  }

  /** Starts stopped containers again, each after what it depends on. */
  async start(options?: Pick<StopOptions, 'services'>): Promise<void> {
    checkServiceNames(this.loaded.project, options?.services)
    await changeProject(this.engine, this.name, 'start', { ...options, hooks: hooksOf(this.loaded.project) })
  }

  /** Restarts the services (all when none is named) and their `restart: true` dependents, as Compose v2 does. */
  async restart(options?: StopOptions): Promise<void> {
    checkServiceNames(this.loaded.project, options?.services)
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
  kill(): Promise<void> {
    return killProject(this.engine, this.name)
  }

  /**
   * Leaving an `await using` block removes everything, named volumes included, without waiting for
   * graceful stops, and the images built under the project's own name (throwaway-images.ts).
   */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.down({ volumes: true, timeoutS: 0 })
    await removeThrowawayImages(this.engine, this.name, throwawayImages(this.loaded.project))
  }
}
