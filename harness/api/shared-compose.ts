import { HarnessError } from '../errors.js'
import { nothingToRestore, restorePlan, type StackContainer } from '../runtime/project/restore-plan.js'
import { REATTACH, TAKE_TOUCHED, type StartedCompose } from './started-compose.js'

/** A shared stack that could not be put back after a test: the next lease brings it up anew. */
export class StackRestoreError extends HarnessError {
  override readonly name = 'StackRestoreError'
  constructor(
    readonly project: string,
    cause: unknown,
  ) {
    super(
      `project "${project}" could not be put back as it was after up (${cause instanceof Error ? cause.message : String(cause)}); the next test gets it brought up anew`,
      { cause },
    )
  }
}

/** One test's turn with a shared stack: `project` is the stack; leaving the turn puts it back. */
export interface StackLease<S extends string = string> extends AsyncDisposable {
  readonly project: StartedCompose<S>
}

/**
 * A project brought up once for many tests (a file's, a worker's), as `Compose.upShared()` gives
 * it. Tests take turns (`lease()`): after each, what it did through the fault API (stopped,
 * killed, paused, disconnected, scaled, removed containers) is put back as `up` left it
 * (restore-plan.ts says what that means), and a test that needs a stack as new asks for `fresh`.
 * Leaving an `await using` block removes everything, as a per-test project's does.
 */
export class SharedCompose<S extends string = string> implements AsyncDisposable {
  #project: StartedCompose<S>
  #baseline: readonly StackContainer[]
  /** Settles when the turn before the next one is over. */
  #turns: Promise<void> = Promise.resolve()
  #broken = false
  /** No turn has had the stack since it was brought up: it is as new. */
  #pristine = true

  private constructor(
    /** `up()` with the options the stack was first brought up with. */
    private readonly bringUp: () => Promise<StartedCompose<S>>,
    project: StartedCompose<S>,
    baseline: readonly StackContainer[],
  ) {
    this.#project = project
    this.#baseline = baseline
  }

  /** Brings the project up with `bringUp` and takes what the engine then has as the state to put back. */
  static async up<S extends string>(bringUp: () => Promise<StartedCompose<S>>): Promise<SharedCompose<S>> {
    const project = await bringUp()
    return new SharedCompose(bringUp, project, await project.ps())
  }

  /** The stack as it is now (between turns, as the last turn left it once put back). */
  get project(): StartedCompose<S> {
    return this.#project
  }

  /**
   * Waits for the turns before this one to end, then gives the stack (brought down, named volumes
   * included, and up again first when `fresh`, or when the last one could not be put back).
   * Leaving the turn (`await using`, or `[Symbol.asyncDispose]()`) puts the stack back.
   */
  async lease({ fresh = false }: { readonly fresh?: boolean } = {}): Promise<StackLease<S>> {
    const before = this.#turns
    let end!: () => void
    this.#turns = new Promise((resolve) => (end = resolve))
    await before
    try {
      const project = (fresh && !this.#pristine) || this.#broken ? await this.renew() : this.#project
      this.#pristine = false
      return {
        project,
        [Symbol.asyncDispose]: async () => {
          try {
            await this.restore()
          } finally {
            end()
          }
        },
      }
    } catch (error) {
      end()
      throw error
    }
  }

  /** Puts back what the tests did since `up` (or the last restore); resolves with the stack, whose handles may be new. */
  async restore(): Promise<StartedCompose<S>> {
    let project = this.#project
    try {
      const plan = restorePlan({
        baseline: this.#baseline,
        now: await project.ps(),
        touched: project[TAKE_TOUCHED](),
        order: project.loaded.plan.order,
      })
      if (nothingToRestore(plan)) return project
      if (plan.replaced) project = await project[REATTACH]()
      const handle = (c: StackContainer) => project.service(c.service as S, c.number)
      const key = this.networkKey(project)
      await Promise.all(plan.unpause.map((c) => handle(c).unpause({ ready: true })))
      for (const { container, network } of plan.disconnect) await handle(container).disconnect(key(network))
      for (const { container, network } of plan.connect) await handle(container).connect(key(network), { ready: true })
      if (plan.upAgain) project = await this.bringUp()
      else {
        const scaled = new Set(plan.remove.map((c) => c.service))
        for (const service of scaled)
          await project.scale(service as S, this.#baseline.filter((c) => c.service === service).length)
        for (const c of plan.start) await handle(c).start({ ready: true })
      }
      project[TAKE_TOUCHED]()
      this.#project = project
      this.#baseline = await project.ps()
      return project
    } catch (error) {
      this.#broken = true
      throw new StackRestoreError(project.name, error)
    }
  }

  /** Brings the stack down (named volumes included) and up again with the same options: a stack as new. */
  async renew(): Promise<StartedCompose<S>> {
    await this.#project.down({ volumes: true, timeoutS: 0 })
    this.#project = await this.bringUp()
    this.#baseline = await this.#project.ps()
    this.#broken = false
    this.#pristine = true
    return this.#project
  }

  /** A project network's compose key by its engine name (a network not of the project keeps its name). */
  private networkKey(project: StartedCompose<S>): (network: string) => string {
    const networks = Object.entries(project.loaded.project.networks)
    return (network) => networks.find(([key, n]) => (n.name ?? key) === network)?.[0] ?? network
  }

  /** Removes everything once the last turn is over, as a per-test project's `await using` does. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.#turns
    await this.#project[Symbol.asyncDispose]()
  }
}
