import { randomBytes } from 'node:crypto'
import { resolve } from 'node:path'
import { Compose } from '../../../harness/index.js'
import { startCli, type RunningCli } from '../../support/cli.js'

/** Every project a spec starts is named with this prefix, so that the global teardown can find leaks. */
export const TEST_PROJECT_PREFIX = 'chtest-'

export const ECHO_FILE = resolve('fixtures/echo/docker-compose.yml')
export const ECHO_BUILD_FILE = resolve('fixtures/echo/docker-compose.build.yml')
export const CLIENT_ALONE_FILE = resolve('fixtures/echo-client-alone/docker-compose.yml')
export const PROBE_IMAGES_FILE = resolve('fixtures/images/compose.yml')

/** A runtime fixture (`fixtures/runtime/<scenario>/compose.yml`) under a project name of its own. */
export function runtimeFixture(scenario: string, ...extraFiles: string[]): Compose {
  const dir = resolve('fixtures/runtime', scenario)
  return Compose.fromFiles(resolve(dir, 'compose.yml'), ...extraFiles.map((f) => resolve(dir, f))).withProjectName(
    uniqueProjectName(scenario),
  )
}

/** A project name no other spec, worker or run uses at the same time. */
export function uniqueProjectName(scenario: string): string {
  return `${TEST_PROJECT_PREFIX}${scenario}-${randomBytes(3).toString('hex')}`
}

/** The echo example as users wrote it, with the client's interval shortened by an override, not by editing the file. */
export function echoProject(scenario: string, clientEnvironment: Record<string, string> = {}): Compose {
  return Compose.fromFiles(ECHO_FILE)
    .withProjectName(uniqueProjectName(scenario))
    .withOverride({ services: { client: { environment: { ECHO_INTERVAL: '0.2', ...clientEnvironment } } } })
}

/** A foreground `compose-harness up` of the echo example in a child process, once its client has echoed. */
export async function echoUpInChild(project: string): Promise<RunningCli> {
  const run = startCli(['-f', ECHO_FILE, '-p', project, 'up'])
  await run.waitFor(/client-1\s+\| Received: Hello, world/)
  return run
}
