// The suite as a team writes it with the harness's vitest fixture: 20 tests, each with its own
// project of the echo pair, each waiting for the client's first echo.
import { resolve } from 'node:path'
import { expect } from 'vitest'
import { composeTest } from '../../harness/vitest/compose-test.js'
import { SUITE_TESTS } from './suite-size.js'

const test = composeTest<'echo-server' | 'client'>({
  files: [resolve('fixtures/echo/docker-compose.yml')],
  projectPrefix: 'bench-suite-',
})

for (let i = 1; i <= SUITE_TESTS; i++)
  test(`the client's echo comes back (${i})`, async ({ compose }) => {
    await expect(compose.service('client')).toHaveLogged(/^Received: Hello, world$/)
  })
