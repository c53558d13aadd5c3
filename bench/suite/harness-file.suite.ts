// The same suite with one project for the whole file (the fixture's `scope: 'file'`): 20 tests,
// each its turn with the echo pair, each waiting for the client's echo.
import { resolve } from 'node:path'
import { expect } from 'vitest'
import { composeTest } from '../../harness/vitest/compose-test.js'
import { SUITE_TESTS } from './suite-size.js'

const test = composeTest<'echo-server' | 'client'>({
  files: [resolve('fixtures/echo/docker-compose.yml')],
  projectPrefix: 'bench-suite-file-',
  scope: 'file',
})

for (let i = 1; i <= SUITE_TESTS; i++)
  test(`the client's echo comes back (${i})`, async ({ compose }) => {
    await expect(compose.service('client')).toHaveLogged(/^Received: Hello, world$/)
  })
