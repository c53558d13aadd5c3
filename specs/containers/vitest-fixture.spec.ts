import { spawnSync } from 'node:child_process'
import { describe, expect, inject, it } from 'vitest'
import { leftOf } from './support/observe.js'

interface JsonReport {
  testResults: { assertionResults: { status: string; failureMessages: string[] }[] }[]
}

describe.skipIf(!inject('engineReady'))('the vitest fixture', () => {
  it('attaches the logs of every container to a failing test, and still takes the project down', async () => {
    const run = spawnSync(
      process.execPath,
      [
        'node_modules/vitest/vitest.mjs',
        'run',
        '--config',
        'fixtures/vitest/vitest.config.ts',
        '--reporter=json',
        'failing-echo',
      ],
      {
        encoding: 'utf8',
        env: { ...process.env, CI: 'true' },
        timeout: 120_000,
      },
    )
    expect(run.status).toBe(1)
    const [result] = (JSON.parse(run.stdout) as JsonReport).testResults[0]!.assertionResults
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
