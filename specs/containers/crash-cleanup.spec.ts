import { spawn } from 'node:child_process'
import { describe, expect, inject, it } from 'vitest'
import { Compose } from '../../harness/index.js'
import { connectEngine } from '../../harness/runtime/engine.js'
import { leftOf } from './support/observe.js'
import { ECHO_FILE, uniqueProjectName } from './support/test-projects.js'

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

/** `compose-harness up` of the echo project in a child process, resolved once the client has echoed. */
async function upInChild(project: string) {
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

/** The reapers a process started that are still there. */
async function reapersOf(pid: number): Promise<number> {
  const docker = (await connectEngine()).container.dockerode
  return (await docker.listContainers({ all: true, filters: { label: [`com.compose-harness.reaper.pid=${pid}`] } }))
    .length
}

describe.skipIf(!inject('engineReady'))('crash-safe clean-up', () => {
  it('removes every container and network of a run whose process was killed with SIGKILL, within 30 s', async () => {
    const project = uniqueProjectName('sigkill')
    const { child } = await upInChild(project)
    expect(await leftOf(project)).toEqual(expect.arrayContaining([`/${project}-client-1`, `${project}_default`]))
    child.kill('SIGKILL')
    const left = await eventually(
      () => leftOf(project),
      (l) => l.length === 0,
      30_000,
    )
    expect(left).toEqual([])
  })

  it("leaves alone a later run of the same project when the earlier run's reaper does its work", async () => {
    const project = uniqueProjectName('rerun')
    const { child, exited } = await upInChild(project)
    child.kill('SIGINT')
    expect(await exited).toBe(130)
    await using second = await Compose.fromFiles(ECHO_FILE).withProjectName(project).up()
    expect(
      await eventually(
        () => reapersOf(child.pid!),
        (n) => n === 0,
        30_000,
      ),
    ).toBe(0)
    expect((await second.service('client').inspect()).State.Running).toBe(true)
    expect((await second.service('echo-server').inspect()).State.Running).toBe(true)
  })
})
