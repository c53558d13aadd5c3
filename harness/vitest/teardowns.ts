import { throwAll } from '../runtime/engine/runtime-errors.js'

/**
 * The removals of a file's per-test projects that go on while the next test runs: one at a time
 * (a removal starts once the one before has ended), and what failed is thrown when the file ends.
 */
export class Teardowns {
  #pending: Promise<void> = Promise.resolve()
  readonly #failures: Error[] = []

  /** Starts `removal` once the one before it has ended; resolves when it has started. */
  async add(removal: () => Promise<void>): Promise<void> {
    await this.#pending
    this.#pending = removal().catch((error: unknown) => {
      this.#failures.push(error instanceof Error ? error : new Error(String(error)))
    })
  }

  /** Waits for the last removal; throws what failed of them all. */
  async drain(): Promise<void> {
    await this.#pending
    throwAll(this.#failures.splice(0), (n) => `${n} projects were not removed in full`)
  }
}
