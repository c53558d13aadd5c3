import { randomBytes } from 'node:crypto'
import { expect, test as base } from 'vitest'
import { EngineGoneError } from '../runtime/runtime-errors.js'
import { Compose, type UpOptions } from '../api/compose.js'
import type { StartedCompose } from '../api/started-compose.js'
import type { ServiceHandle } from '../runtime/service-handle.js'

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
}

/** How many log lines of each container a failing test gets. */
const LOG_LINES = 200

/**
 * A vitest `test` with a `compose` fixture: the project is brought up for each test that uses it,
 * under a name no other test, worker or run shares, and always taken down after it. When the test
 * fails, the logs of every container are attached to it. Options can be changed for a group of
 * tests with `test.scoped({ composeOptions: … })`. `S` names the services: `composeTest<'web' | 'db'>(…)`.
 */
export function composeTest<S extends string = string>(options: ComposeTestOptions<NoInfer<S>>) {
  return base.extend<{ composeOptions: ComposeTestOptions<S>; compose: StartedCompose<S> }>({
    composeOptions: [options, { injected: false }],
    compose: async ({ composeOptions, onTestFailed }, use) => {
      const project = await composeFor(composeOptions).up<S>(composeOptions.up)
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
        await use(project)
      } finally {
        logs = await projectLogs(project)
        await project[Symbol.asyncDispose]().catch((error: unknown) => {
          // An engine that went away under the test answers the teardown with its own shutdown's errors.
          const gone = project.engineGone
          throw gone === undefined ? error : new EngineGoneError(gone, error)
        })
      }
    },
  })
}

function composeFor(options: ComposeTestOptions<string>): Compose {
  const name = `${options.projectPrefix ?? 'cht-'}${process.env.VITEST_POOL_ID ?? '0'}-${randomBytes(3).toString('hex')}`
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
