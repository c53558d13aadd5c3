import { spawn } from 'node:child_process'
import { describe, expect, inject, it } from 'vitest'
import { connectEngine } from '../../harness/runtime/engine.js'
import { leftOf } from './support/observe.js'
import { runCli } from './support/run-cli.js'
import { ECHO_FILE, uniqueProjectName } from './support/test-projects.js'

const ROUNDS = 4
const AT_ONCE = 3

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

/** A foreground `up` of the echo project in a child process, resolved once the client has echoed. */
async function foregroundUp(project: string) {
  const child = spawn(process.execPath, ['bin/compose-harness.js', '-f', ECHO_FILE, '-p', project, 'up'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
  const echoed = await new Promise<boolean>((resolve) => {
    let output = ''
    const timer = setTimeout(() => resolve(false), 60_000)
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      if (/client-1\s+\| Received: Hello, world/.test(output)) {
        clearTimeout(timer)
        resolve(true)
      }
    })
  })
  expect(echoed).toBe(true)
  return { child, exited }
}

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
    const first = await foregroundUp(project)
    first.child.kill('SIGKILL')
    await first.exited
    // Within the first run's reaper's grace period: the network the second run uses still carries the first run's session.
    const second = await foregroundUp(project)
    const docker = (await connectEngine()).container.dockerode
    const reapersOfFirst = async (): Promise<number> =>
      (
        await docker.listContainers({
          all: true,
          filters: { label: [`com.compose-harness.reaper.pid=${first.child.pid}`] },
        })
      ).length
    expect(await eventually(reapersOfFirst, (n) => n === 0, 40_000)).toBe(0)
    expect((await leftOf(project)).sort()).toEqual([
      `/${project}-client-1`,
      `/${project}-echo-server-1`,
      `${project}_default`,
    ])
    second.child.kill('SIGKILL')
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
