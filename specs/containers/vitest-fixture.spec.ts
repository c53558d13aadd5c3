import type Dockerode from 'dockerode'
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

  it("brings the next tests' projects up ahead, beside the test before, and removes the one no test took", async () => {
    const prefix = `${uniqueProjectName('ahead')}-`
    const docker = (await connectEngine()).container.dockerode
    const since = Math.floor(Date.now() / 1000)
    const run = runFixtureSpecs('brought-up-ahead', { AHEAD_PREFIX: prefix })
    expect(run.report.testResults[0]!.assertionResults.map((r) => [r.status, r.failureMessages])).toEqual([
      ['passed', []],
      ['passed', []],
      ['passed', []],
    ])
    expect(run.status).toBe(0)
    // The first test's own, the second's brought up ahead, and the third's, which it did not take.
    expect(await networksCreated(docker, prefix, since)).toHaveLength(3)
    const ours = (names: readonly string[]) => names.filter((n) => n.replace(/^\//, '').startsWith(prefix))
    expect(ours((await docker.listContainers({ all: true })).flatMap((c) => c.Names))).toEqual([])
    expect(ours((await docker.listNetworks()).map((n) => n.Name))).toEqual([])
  })

  it('refuses ahead for projects that cannot run side by side, naming what collides, and starts nothing', async () => {
    const run = runFixtureSpecs('ahead-collides')
    expect(run.status).toBe(1)
    const [result] = run.report.testResults[0]!.assertionResults
    expect(result!.failureMessages[0]).toMatch(
      /^TypeError: ahead brings projects of \S+slow-removal\.yml up beside each other, and theirs would collide: service "app": container_name chtest-ahead-fixed\n/,
    )
    const docker = (await connectEngine()).container.dockerode
    expect(await docker.listContainers({ all: true, filters: { name: ['chtest-ahead-fixed'] } })).toEqual([])
  })
})

/** The names of the networks created since `since` (epoch seconds) whose names start with `prefix`. */
async function networksCreated(docker: Dockerode, prefix: string, since: number): Promise<string[]> {
  const until = Math.ceil(Date.now() / 1000)
  const stream = await docker.getEvents({ since, until, filters: { type: ['network'], event: ['create'] } })
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
    .toString()
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => (JSON.parse(line) as { Actor: { Attributes: { name: string } } }).Actor.Attributes.name)
    .filter((name) => name.startsWith(prefix))
}
