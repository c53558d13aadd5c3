import { rejections, throwAll } from '../runtime/engine/runtime-errors.js'

/**
 * The projects a file's tests will take, brought up ahead (`ahead`): while a test runs, the next
 * tests' projects come up beside it, each under a name of its own, and a test takes the one that
 * started coming up first. An up that failed is its taker's failure; what no test took is removed
 * when the file ends.
 */
export class Spares<P extends AsyncDisposable> {
  readonly #coming: Promise<P>[] = []
  readonly #bringUp: () => Promise<P>

  constructor(bringUp: () => Promise<P>) {
    this.#bringUp = bringUp
  }

  /** The project that started coming up first, if one is coming; the test awaits it as it would its own up. */
  take(): Promise<P> | undefined {
    return this.#coming.shift()
  }

  /** Starts bringing projects up until `count` are coming up or ready. */
  fill(count: number): void {
    while (this.#coming.length < count) {
      const up = this.#bringUp()
      // Its taker gets the failure; one nobody takes has removed what it started (up's own rollback).
      up.catch(() => {})
      this.#coming.push(up)
    }
  }

  /** Removes the projects no test took, once they are up; throws what failed of their removals. */
  async drain(): Promise<void> {
    const removals = await Promise.allSettled(
      this.#coming.splice(0).map(async (up) => {
        const project = await up.catch(() => undefined)
        await project?.[Symbol.asyncDispose]()
      }),
    )
    throwAll(rejections(removals), (n) => `${n} projects brought up ahead were not removed in full`)
  }
}

/** The part of a vitest task the count of tests to come reads: a file's tree of suites and tests. */
export interface TaskTree {
  readonly type: string
  readonly mode: string
  readonly result?: unknown
  readonly tasks?: readonly TaskTree[]
}

/**
 * How many of `file`'s tests have yet to start, besides `current`: the ones vitest will run (not
 * skipped, not todo) that have no result yet.
 */
export function testsToCome(file: TaskTree, current: TaskTree): number {
  if (file.type !== 'test') return (file.tasks ?? []).reduce((sum, t) => sum + testsToCome(t, current), 0)
  return file !== current && file.result === undefined && file.mode !== 'skip' && file.mode !== 'todo' ? 1 : 0
}

/**
 * Whether projects are to be brought up ahead: `ahead` above 0 with a project for each test (a
 * reused project is shared, so none are). A TypeError for an `ahead` that is not a whole number
 * from 0, or asked for with a shared scope.
 */
export function asksAhead(ahead: number | undefined, scope: string, reused: boolean): boolean {
  if (ahead === undefined || ahead === 0) return false
  if (!Number.isInteger(ahead) || ahead < 0)
    throw new TypeError(`ahead is how many projects to bring up ahead, a whole number from 0: not ${ahead}`)
  if (reused) return false
  if (scope !== 'test')
    throw new TypeError(
      `ahead brings up projects for the tests to come, each their own: with scope "${scope}" they share one`,
    )
  return true
}
