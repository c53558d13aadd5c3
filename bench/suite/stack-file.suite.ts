// The same suite of the three-service stack with one stack for the whole file (the fixture's
// `scope: 'file'`): 20 tests, each its turn with the stack, each making a request to the API.
import { resolve } from 'node:path'
import { composeTest } from '../../harness/vitest/compose-test.js'
import { visit } from '../stack-visit.js'
import { SUITE_TESTS } from './suite-size.js'

const test = composeTest<'db' | 'cache' | 'api'>({
  files: [resolve('bench/stack/compose.yml')],
  projectPrefix: 'bench-stack-suite-file-',
  scope: 'file',
})

for (let i = 1; i <= SUITE_TESTS; i++)
  test(`the API counts a visit (${i})`, async ({ compose }) => {
    await visit(await compose.service('api').mappedPort(8080))
  })
