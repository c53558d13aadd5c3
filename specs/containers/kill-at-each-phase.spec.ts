import { resolve } from 'node:path'
import { describe, expect, inject, it, onTestFinished } from 'vitest'
import { connectEngine } from '../../harness/runtime/engine.js'
import { startCli } from '../support/cli.js'
import { leftOf } from './support/observe.js'
import { uniqueProjectName } from './support/test-projects.js'

const FILE = resolve('fixtures/runtime/slow-phases/compose.yml')
const ENV = { TESTCONTAINERS_RYUK_RECONNECTION_TIMEOUT: '1s' }

/** Polls until `check` holds or `timeoutMs` passes; resolves with the last value seen. */
async function eventually<T>(probe: () => Promise<T>, check: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let value = await probe()
  while (!check(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500))
    value = await probe()
  }
  return value
}

/** The project's containers, networks and volumes, and the reapers the killed process started. */
async function leftBy(project: string, pid: number): Promise<string[]> {
  const docker = (await connectEngine()).container.dockerode
  const reapers = await docker.listContainers({
    all: true,
    filters: { label: [`com.compose-harness.reaper.pid=${pid}`] },
  })
  return [...(await leftOf(project)), ...reapers.map((r) => r.Names[0]!)]
}

describe.skipIf(!inject('engineReady'))('SIGKILL of a foreground up at each phase leaves nothing', () => {
  it.each([
    ['during a build', ['up', '--build', 'slow-build'], / => slow-build: Step 3\/3 : RUN/],
    ['during a wait for a healthy dependency', ['up', 'app'], /Container .*-db-1 {2}Waiting/],
  ])(
    '%s',
    async (_, args, phase) => {
      const project = uniqueProjectName('killed')
      const cli = startCli(['-f', FILE, '-p', project, ...args], { env: { ...ENV, RUN_ID: project } })
      onTestFinished(() => cli.signal('SIGKILL'))
      await cli.waitFor(phase, 60_000)
      cli.signal('SIGKILL')
      expect(await cli.exited).toBe(137)
      expect(
        await eventually(
          () => leftBy(project, cli.child.pid!),
          (left) => left.length === 0,
          30_000,
        ),
      ).toEqual([])
    },
    120_000,
  )
})
