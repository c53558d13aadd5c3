// The tests of the harness's suites, written once: 20 tests with the vitest fixture, each with a
// project of its own (`scope: 'test'`, the default) or a turn with the file's (`scope: 'file'`).
import { resolve } from 'node:path'
import { expect } from 'vitest'
import { composeTest, type ComposeScope } from '../../harness/vitest/compose-test.js'
import { STACK_FILE, visit } from '../stack-test.js'
import { SUITE_TESTS } from './suite-size.js'

/** The echo pair: each test waits for the client's first echo. */
export function echoTests(projectPrefix: string, scope: ComposeScope = 'test', ahead = 0): void {
  const test = composeTest<'echo-server' | 'client'>({
    files: [resolve('fixtures/echo/docker-compose.yml')],
    projectPrefix,
    scope,
    ahead,
  })
  for (let i = 1; i <= SUITE_TESTS; i++)
    test(`the client's echo comes back (${i})`, async ({ compose }) => {
      await expect(compose.service('client')).toHaveLogged(/^Received: Hello, world$/)
    })
}

/** The three-service stack (bench/stack/), up until every service is healthy: each test makes a request to the API. */
export function stackTests(projectPrefix: string, scope: ComposeScope = 'test', ahead = 0): void {
  const test = composeTest<'db' | 'cache' | 'api'>({ files: [STACK_FILE], projectPrefix, scope, ahead })
  for (let i = 1; i <= SUITE_TESTS; i++)
    test(`the API counts a visit (${i})`, async ({ compose }) => {
      await visit(await compose.service('api').mappedPort(8080))
    })
}
