import type { LoadedCompose } from './compose/load.js'
import { downProject, killProject, stopProject, type DownOptions } from './runtime/down.js'
import type { Engine } from './runtime/engine.js'
import { ServiceHandle } from './runtime/service-handle.js'

/** A project that is up. `down()` (or leaving an `await using` block) removes all of it. */
export class StartedCompose implements AsyncDisposable {
  readonly #handles: ReadonlyMap<string, ServiceHandle>
  #down: Promise<void> | undefined

  constructor(
    private readonly engine: Engine,
    readonly loaded: LoadedCompose,
    containers: ReadonlyMap<string, { id: string; name: string }>,
  ) {
    this.#handles = new Map([...containers].map(([service, c]) => [service, new ServiceHandle(engine, service, 1, c.id, c.name)]))
  }

  get name(): string {
    return this.loaded.project.name
  }

  /** The running container of `service`. */
  service(name: string): ServiceHandle {
    const handle = this.#handles.get(name)
    if (!handle) throw new Error(`project "${this.name}" has no service "${name}" (it has ${[...this.#handles.keys()].join(', ')})`)
    return handle
  }

  get services(): readonly ServiceHandle[] {
    return [...this.#handles.values()]
  }

  /** Removes the project's containers (dependents first) and networks. Idempotent. */
  down(options?: DownOptions): Promise<void> {
    this.#down ??= downProject(this.engine, this.name, options)
    return this.#down
  }

  /** Stops the project's containers, dependents first, keeping them and the network. */
  stop(options?: DownOptions): Promise<void> {
    return stopProject(this.engine, this.name, options)
  }

  /** Kills every running container of the project at once (SIGKILL), as a second Ctrl+C does. */
  kill(): Promise<void> {
    return killProject(this.engine, this.name)
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.down()
  }
}
