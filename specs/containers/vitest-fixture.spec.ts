import { describe, expect, inject, it } from 'vitest'
import { runFixtureSpecs } from './support/fixture-specs.js'
import { connectEngine } from '../../harness/runtime/engine/engine.js'
import { leftOf } from './support/observe.js'
import { uniqueProjectName } from './support/test-projects.js'

/** Runs the fixture spec `name`, whose one test must fail; gives its failure, the logs attached, and its project's name. */
function failedTest(name: string): { failure: string; logs: string; project: string } {
  const run = runFixtureSpecs(name)
  expect(run.status).toBe(1)
  const [result] = run.report.testResults[0]!.assertionResults
  expect(result!.status).toBe('failed')
  const [failure, logs] = result!.failureMessages
  return { failure: failure!, logs: logs!, project: /logs of project (\S+):/.exec(logs!)![1]! }
}

describe.skipIf(!inject('engineReady'))('the vitest fixture', () => {
  it('attaches the logs of every container to a failing test, and still takes the project down', async () => {
    const { failure, logs, project } = failedTest('failing-echo')
    expect(failure).toMatch(/^AssertionError: expected 'the echo' to be 'something else'/)
    expect(logs).toMatch(
      /^logs of project (chtest-[\w-]+):\n── echo-server-1 \(\1-echo-server-1\) ──\n\n\n── client-1 \(\1-client-1\) ──\nReceived: Hello, world/,
    )
    expect(await leftOf(project)).toEqual([])
  })

  it("removes a passing test's project while the next test runs, and waits for it at the file's end", async () => {
    const prefix = `${uniqueProjectName('overlap')}-`
    const run = runFixtureSpecs('overlapped-teardown', { OVERLAP_PREFIX: prefix })
    expect(run.report.testResults[0]!.assertionResults.map((r) => [r.status, r.failureMessages])).toEqual([
      ['passed', []],
      ['passed', []],
    ])
    expect(run.status).toBe(0)
    const docker = (await connectEngine()).container.dockerode
    const ours = (names: readonly string[]) => names.filter((n) => n.replace(/^\//, '').startsWith(prefix))
    expect(ours((await docker.listContainers({ all: true })).flatMap((c) => c.Names))).toEqual([])
    expect(ours((await docker.listNetworks()).map((n) => n.Name))).toEqual([])
  })

  it('fails a test at its teardown when a service exited at once after up() returned, and says which', async () => {
    const { failure, project } = failedTest('exits-soon')
    expect(failure).toMatch(
      /^ServiceStartError: service "crasher" failed at start \(exit code 3\): it exited at once\nlast log lines of crasher:\n {2}lost the connection to the queue/,
    )
    expect(await leftOf(project)).toEqual([])
  })
})
