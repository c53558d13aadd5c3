import { resolve } from 'node:path'
import { describe, expect, inject, it, onTestFinished } from 'vitest'
import { startCli } from '../support/cli.js'
import { eventually } from '../support/eventually.js'
import { leftOf, reapersOf } from './support/observe.js'
import { uniqueProjectName } from './support/test-projects.js'

const FILE = resolve('fixtures/runtime/slow-phases/compose.yml')
const ENV = { TESTCONTAINERS_RYUK_RECONNECTION_TIMEOUT: '1s' }

/** The project's containers, networks and volumes, and the reapers the killed process started. */
async function leftBy(project: string, pid: number): Promise<string[]> {
  return [...(await leftOf(project)), ...(await reapersOf(pid))]
}

describe.skipIf(!inject('engineReady'))('SIGKILL of a foreground up at each phase leaves nothing', () => {
  it.each([
    ['during a build', ['up', '--build', 'slow-build'], /#\d+ \[slow-build 2\/2\] RUN/],
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
