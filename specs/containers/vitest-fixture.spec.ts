import { describe, expect, inject, it } from 'vitest'
import { runFixtureSpecs } from './support/fixture-specs.js'
import { leftOf } from './support/observe.js'

describe.skipIf(!inject('engineReady'))('the vitest fixture', () => {
  it('attaches the logs of every container to a failing test, and still takes the project down', async () => {
    const run = runFixtureSpecs('failing-echo')
    expect(run.status).toBe(1)
    const [result] = run.report.testResults[0]!.assertionResults
    expect(result!.status).toBe('failed')
    const [failure, logs] = result!.failureMessages
    expect(failure).toMatch(/^AssertionError: expected 'the echo' to be 'something else'/)
    expect(logs).toMatch(
      /^logs of project (chtest-[\w-]+):\n── echo-server-1 \(\1-echo-server-1\) ──\n\n\n── client-1 \(\1-client-1\) ──\nReceived: Hello, world/,
    )
    const project = /logs of project (\S+):/.exec(logs!)![1]!
    expect(await leftOf(project)).toEqual([])
  })
})
