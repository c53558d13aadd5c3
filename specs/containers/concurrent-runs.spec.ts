import { describe, expect, inject, it } from 'vitest'
import { runCli } from '../support/cli.js'
import { eventually } from '../support/eventually.js'
import { leftOf, reapersOf } from './support/observe.js'
import { ECHO_FILE, echoUpInChild, uniqueProjectName } from './support/test-projects.js'

const ROUNDS = 4
const AT_ONCE = 3

describe.skipIf(!inject('engineReady'))('runs of one project at the same time', () => {
  it(`${AT_ONCE} \`up -d\` started together, ${ROUNDS} times: all succeed, one network, one container a service; ${AT_ONCE} \`down\` together leave nothing`, async () => {
    const project = uniqueProjectName('together')
    const cli = ['-f', ECHO_FILE, '-p', project]
    for (let round = 1; round <= ROUNDS; round++) {
      const ups = await Promise.all(Array.from({ length: AT_ONCE }, () => runCli([...cli, 'up', '-d'])))
      expect(ups.map((u) => [u.code, u.stderr.match(/Error|Conflict|ambiguous/)?.[0]])).toEqual(
        ups.map(() => [0, undefined]),
      )
      // Every run but the first waited, and said so.
      expect(
        ups.filter((u) =>
          u.stderr.includes(`WAIT project "${project}" is being changed by another compose-harness run`),
        ).length,
      ).toBe(AT_ONCE - 1)
      expect((await leftOf(project)).sort()).toEqual([
        `/${project}-client-1`,
        `/${project}-echo-server-1`,
        `${project}_default`,
      ])
      const downs = await Promise.all(Array.from({ length: AT_ONCE }, () => runCli([...cli, 'down'])))
      expect(downs.map((d) => d.code)).toEqual(downs.map(() => 0))
      expect(await leftOf(project)).toEqual([])
    }
  }, 240_000)

  it('a run started right after another was killed takes over its clean-up: what it keeps stays, and goes when it is killed in turn', async () => {
    const project = uniqueProjectName('handover')
    const first = await echoUpInChild(project)
    first.signal('SIGKILL')
    await first.exited
    // Within the first run's reaper's grace period: the network the second run uses still carries the first run's session.
    const second = await echoUpInChild(project)
    expect(
      await eventually(
        () => reapersOf(first.child.pid!),
        (r) => r.length === 0,
        40_000,
      ),
    ).toEqual([])
    expect((await leftOf(project)).sort()).toEqual([
      `/${project}-client-1`,
      `/${project}-echo-server-1`,
      `${project}_default`,
    ])
    second.signal('SIGKILL')
    await second.exited
    expect(
      await eventually(
        () => leftOf(project),
        (left) => left.length === 0,
        40_000,
      ),
    ).toEqual([])
  }, 120_000)
})
