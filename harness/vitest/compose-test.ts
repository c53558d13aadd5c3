import { randomBytes } from 'node:crypto'
import { resolve } from 'node:path'
import { expect, test as base, type TestContext } from 'vitest'
import { EngineGoneError } from '../runtime/engine/runtime-errors.js'
import { Compose, type UpOptions } from '../api/compose.js'
import { reuseKey, reuseOn } from '../api/reuse.js'
import type { SharedCompose } from '../api/shared-compose.js'
import type { StartedCompose } from '../api/started-compose.js'
import type { ServiceHandle } from '../runtime/container/service-handle.js'
import { sideBySideCollisions } from '../model/project/side-by-side.js'
import { Teardowns } from './teardowns.js'
import { asksAhead, Spares, testsToCome } from './spares.js'

/** Who gets a stack of their own: each test (the default), each file, or each vitest worker. */
export type ComposeScope = 'test' | 'file' | 'worker'

/** The project each test of a `composeTest` gets, and how it is brought up; `S` names its services. */
export interface ComposeTestOptions<S extends string = string> {
  /** The compose files, merged in order as `-f` would. */
  readonly files: readonly string[]
  /** Merged over the files: how a spec changes a fixture without editing it. */
  readonly override?: Record<string, unknown>
  /** The variables the files see, instead of the process's environment. */
  readonly environment?: Readonly<Record<string, string | undefined>>
  /** The profiles to enable, as `--profile` does. */
  readonly profiles?: readonly string[]
  /** Passed to `up()`: services, scale, waits, build policy. */
  readonly up?: UpOptions<S>
  /** Starts every project name, so that what a run leaves can be found (`cht-`). */
  readonly projectPrefix?: string
  /**
   * `test` (the default): a project for each test, brought up before it and removed after it.
   * `file` or `worker`: one project for the file's (the worker's) tests, which take turns with it;
   * after each test what it did through the fault API is put back (`SharedCompose`), and a test
   * that needs a project as new takes `freshCompose` instead of `compose`. A worker's project is
   * shared by the files it runs only without vitest's isolation (`isolate: false`).
   */
  readonly scope?: ComposeScope
  /**
   * With a project for each test: how many projects are brought up ahead, beside the tests before
   * theirs, for the file's tests still to come (0, the default: each test's project is brought up
   * when the test starts). The first test's own comes up alone, building what is missing; then the
   * next ones come up while tests run. A test takes a project that has been up for a while, its
   * logs holding what it did meanwhile. The projects must be able to run side by side (no fixed
   * container name, host port, subnet, or network or volume named apart from the project); one
   * that no test took is removed when the file ends. Not for groups of `test.override`.
   */
  readonly ahead?: number
  /**
   * Keep the project for the next run (`up({ reuse })`, decided with the environment and
   * `~/.testcontainers.properties` as there): the tests take turns with it as with a shared scope,
   * each worker has its own, named after the files, override, environment and profiles, and the
   * next run finds it up (kept when unchanged). `compose-harness -p NAME down -v` removes it.
   */
  readonly reuse?: boolean
  /**
   * A directory for the run's report (else COMPOSE_HARNESS_REPORT's): a page with each project's
   * timeline, and for each failed test a page with its errors, the configuration and each
   * container's state, health checks, logs and inspect (harness/report).
   */
  readonly report?: string
}

interface ComposeFixtures<S extends string> {
  composeOptions: ComposeTestOptions<S>
  /** The shared project of a `file` or `worker` scope; undefined with `test`. */
  composeStack: SharedCompose<S> | undefined
  /** The project: this test's own, or its turn with the shared one. */
  compose: StartedCompose<S>
  /** A project as new: this test's own, or the shared one brought down (named volumes too) and up again first. */
  freshCompose: StartedCompose<S>
  /** The file's per-test projects still being removed while the next test runs; awaited when the file ends. */
  composeTeardowns: Teardowns
  /** The projects brought up ahead for the file's next tests (`ahead`); undefined without. */
  composeSpares: Spares<StartedCompose<S>> | undefined
}

/** How many log lines of each container a failing test gets. */
const LOG_LINES = 200

/**
 * A vitest `test` with a `compose` fixture: the project is brought up for each test that uses it
 * (or once for a file's or a worker's tests, with `scope`), under a name no other test, worker or
 * run shares, and always taken down after it. When a test fails, the logs of every container are
 * attached to it. Options can be changed for a group of tests with `test.override({ composeOptions: … })`
 * (per-test projects only). `S` names the services: `composeTest<'web' | 'db'>(…)`.
 */
export function composeTest<S extends string = string>(options: ComposeTestOptions<NoInfer<S>>) {
  const { scope = 'test' } = options
  const reused = reuseOn(options.reuse)
  return base.extend<ComposeFixtures<S>>({
    composeOptions: [options, { injected: false }],
    composeStack: [
      // Vitest reads which fixtures a fixture needs from its first parameter: this one needs none.
      // eslint-disable-next-line no-empty-pattern
      async ({}, use) => {
        if (scope === 'test' && !reused) return use(undefined)
        const compose = reused ? composeFor(options, reusedName(options)) : composeFor(options)
        await using stack = await compose.upShared<S>({ ...upOptions(options), reuse: reused })
        await use(stack)
      },
      { scope: scope === 'worker' ? 'worker' : 'file' },
    ],
    composeTeardowns: [
      // eslint-disable-next-line no-empty-pattern
      async ({}, use) => {
        const teardowns = new Teardowns()
        await use(teardowns)
        await teardowns.drain()
      },
      { scope: 'file' },
    ],
    composeSpares: [
      // eslint-disable-next-line no-empty-pattern
      async ({}, use) => {
        if (!bringsUpAhead(options, reused)) return use(undefined)
        const spares = new Spares(() => composeFor(options).up<S>(upOptions(options)))
        try {
          await use(spares)
        } finally {
          await spares.drain()
        }
      },
      { scope: 'file' },
    ],
    compose: async ({ composeOptions, composeStack, composeTeardowns, composeSpares, onTestFailed, task }, use) => {
      const fixtures = { composeStack, composeTeardowns, composeSpares, onTestFailed, task }
      await provide({ options, composeOptions, ...fixtures, fresh: false }, use)
    },
    freshCompose: async (
      { composeOptions, composeStack, composeTeardowns, composeSpares, onTestFailed, task },
      use,
    ) => {
      const fixtures = { composeStack, composeTeardowns, composeSpares, onTestFailed, task }
      await provide({ options, composeOptions, ...fixtures, fresh: true }, use)
    },
  })
}

interface Provision<S extends string> {
  /** What `composeTest` was given. */
  readonly options: ComposeTestOptions<S>
  /** What the test's group has (`test.override`). */
  readonly composeOptions: ComposeTestOptions<S>
  readonly composeStack: SharedCompose<S> | undefined
  readonly composeTeardowns: Teardowns
  readonly composeSpares: Spares<StartedCompose<S>> | undefined
  readonly onTestFailed: TestContext['onTestFailed']
  /** The test: it holds one turn of a shared project at a time; its result says whether it failed. */
  readonly task: TestContext['task']
  readonly fresh: boolean
}

/** The test that has its turn with each shared project now. */
const turns = new WeakMap<SharedCompose<string>, string>()

/** Gives the test its project: one of its own, brought up and removed around it, or a turn with the shared one. */
async function provide<S extends string>(
  { options, composeOptions, composeStack, composeTeardowns, composeSpares, onTestFailed, task, fresh }: Provision<S>,
  use: (project: StartedCompose<S>) => PromiseLike<void>,
): Promise<void> {
  if (!composeStack) {
    // The projects brought up ahead are of the options composeTest was given, not of a group's override.
    const spares = composeOptions === options ? composeSpares : undefined
    const spare = spares?.take()
    const fill = () => spares?.fill(Math.min(options.ahead ?? 0, testsToCome(task.file, task)))
    // A project of the test's own comes up first alone: what it builds is then there for the next.
    if (spare) fill()
    const project = await (spare ?? composeFor(composeOptions).up<S>(upOptions(composeOptions)))
    if (!spare) fill()
    await withProject(
      project,
      { onTestFailed, task },
      () => use(project),
      () => removeProject(project, task, composeTeardowns),
    )
    return
  }
  if (composeOptions !== options)
    throw new TypeError(
      `test.override of composeOptions changes a project of its own, and this one is shared (${options.scope === undefined || options.scope === 'test' ? 'reused across runs' : `scope "${options.scope}"`}): use another composeTest for these tests`,
    )
  // Its second turn would wait for the end of its first: the test would hang until its timeout.
  if (turns.get(composeStack) === task.id)
    throw new TypeError('a test takes compose or freshCompose, not both: they are one shared project')
  const lease = await composeStack.lease({ fresh })
  turns.set(composeStack, task.id)
  await withProject(
    lease.project,
    { onTestFailed, task },
    () => use(lease.project),
    async () => {
      turns.delete(composeStack)
      await lease[Symbol.asyncDispose]()
    },
  )
}

/**
 * Runs the test with `project`, then `release` (take it down, or put it back). When the test
 * fails, the logs of every container, read before `release`, are attached to it, and where a
 * report was asked for, its page is written (harness/report).
 */
async function withProject(
  project: StartedCompose<string>,
  { onTestFailed, task }: Pick<TestContext, 'onTestFailed' | 'task'>,
  test: () => PromiseLike<void>,
  release: () => Promise<void>,
): Promise<void> {
  let logs = ''
  // Failure hooks run after fixtures are torn down, and annotations are closed by then; the
  // test's list of errors is not, and every reporter shows it. So the logs are read first.
  onTestFailed(({ task }) => {
    const gone = project.engineGone
    if (gone !== undefined)
      task.result?.errors?.unshift({
        name: 'EngineGoneError',
        message: new EngineGoneError(gone).message,
        stack: '',
      })
    task.result?.errors?.push({
      name: 'ComposeLogs',
      message: `logs of project ${project.name}:\n${logs}`,
      stack: '',
    })
  })
  try {
    await test()
  } finally {
    logs = await projectLogs(project)
    // Fixtures are torn down after the test's errors are recorded: a failed test's report is written now, while its containers are there.
    if (task.result?.state === 'fail') {
      const errors = (task.result.errors ?? []).map((e) => e.stack || e.message)
      await project.writeFailureReport({ test: task.fullName, errors })
    }
    // An engine that went away under the test answers the teardown with its own shutdown's errors.
    await release().catch((error: unknown) => engineGone(project, error))
  }
}

/**
 * Removes a test's own project. After a test that passed, when nothing of the project can collide
 * with the next test's (side-by-side.ts), the removal goes on while the next test runs (the file's
 * end waits for it); a service that exited at once still fails this test.
 */
async function removeProject(
  project: StartedCompose<string>,
  task: TestContext['task'],
  teardowns: Teardowns,
): Promise<void> {
  if (task.result?.state === 'fail' || sideBySideCollisions(project.loaded.project).length > 0)
    return project[Symbol.asyncDispose]()
  try {
    await project.checkStarted()
  } finally {
    await teardowns.add(() => project[Symbol.asyncDispose]().catch((error: unknown) => engineGone(project, error)))
  }
}

/** `error`, or, where the engine went away under the project, an EngineGoneError saying so. */
function engineGone(project: StartedCompose<string>, error: unknown): never {
  const gone = project.engineGone
  throw gone === undefined ? error : new EngineGoneError(gone, error)
}

/**
 * Whether the file's tests take projects brought up ahead: `ahead` asked for with a project for
 * each test, and the projects able to run side by side (else a TypeError says what collides).
 */
function bringsUpAhead(options: ComposeTestOptions<string>, reused: boolean): boolean {
  if (!asksAhead(options.ahead, options.scope ?? 'test', reused)) return false
  const collisions = sideBySideCollisions(composeFor(options).load().project)
  if (collisions.length > 0)
    throw new TypeError(
      `ahead brings projects of ${options.files.join(', ')} up beside each other, and theirs would collide: ${collisions.join('; ')}`,
    )
  return true
}

/** What `up` is given: the options' own, and where the report goes. */
function upOptions<S extends string>(options: ComposeTestOptions<S>): UpOptions<S> {
  return { ...options.up, ...(options.report !== undefined && { report: options.report }) }
}

/** A project name no other test, worker or run shares. */
function throwawayName(options: ComposeTestOptions<string>): string {
  return `${options.projectPrefix ?? 'cht-'}${process.env.VITEST_POOL_ID ?? '0'}-${randomBytes(3).toString('hex')}`
}

/** The name of the worker's reused project: the same in the next run for the same definition. */
function reusedName(options: ComposeTestOptions<string>): string {
  const { files, override, environment, profiles } = options
  const identity = { files: files.map((f) => resolve(f)), override, environment, profiles }
  return `${options.projectPrefix ?? 'cht-'}${process.env.VITEST_POOL_ID ?? '0'}-${reuseKey(identity)}`
}

function composeFor(options: ComposeTestOptions<string>, name = throwawayName(options)): Compose {
  let compose = Compose.fromFiles(...options.files).withProjectName(name)
  if (options.override) compose = compose.withOverride(options.override)
  if (options.environment) compose = compose.withEnvironment(options.environment)
  if (options.profiles) compose = compose.withProfiles(...options.profiles)
  return compose
}

/** Every container's last lines, one block a container. */
export async function projectLogs(project: StartedCompose<string>): Promise<string> {
  const blocks = await Promise.all(
    project.services.map(async (h) => {
      const lines = await h.logs(LOG_LINES).catch((error: unknown) => [`(logs unavailable: ${String(error)})`])
      return `── ${h.service}-${h.number} (${h.name}) ──\n${lines.join('\n')}`
    }),
  )
  return blocks.join('\n\n')
}

interface LoggedOptions {
  readonly times?: number
  readonly timeoutMs?: number
}

expect.extend({
  /** `await expect(project.service('client')).toHaveLogged(/Received/, { times: 3 })`: waits, bounded, for the lines. */
  async toHaveLogged(received: ServiceHandle, pattern: RegExp, { times = 1, timeoutMs = 30_000 }: LoggedOptions = {}) {
    try {
      await received.waitForLog(pattern, { times, timeoutMs })
      return { pass: true, message: () => `expected ${received.name} not to log ${times} line(s) matching ${pattern}` }
    } catch (error) {
      return { pass: false, message: () => (error instanceof Error ? error.message : String(error)) }
    }
  },
})

declare module 'vitest' {
  interface Assertion<T> {
    toHaveLogged(pattern: RegExp, options?: LoggedOptions): Promise<T>
  }
}
