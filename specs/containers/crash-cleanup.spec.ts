import { spawn } from 'node:child_process'
import { describe, expect, inject, it } from 'vitest'
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

describe.skipIf(!inject('engineReady'))('crash-safe clean-up', () => {
  it('removes every container, network and volume of a run whose process was killed with SIGKILL, within 30 s', async () => {
    const project = uniqueProjectName('sigkill')
    const child = spawn(process.execPath, ['bin/compose-harness.js', '-f', ECHO_FILE, '-p', project, 'up'], { stdio: ['ignore', 'pipe', 'pipe'] })
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
    expect(await leftOf(project)).toEqual(expect.arrayContaining([`/${project}-client-1`, `${project}_default`]))
    child.kill('SIGKILL')
    const left = await eventually(() => leftOf(project), (l) => l.length === 0, 30_000)
    expect(left).toEqual([])
  })
})
