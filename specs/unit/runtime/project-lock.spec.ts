import { spawn } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import type { Engine } from '../../../harness/runtime/engine/engine.js'
import { withProjectLock, type LockHolder } from '../../../harness/runtime/project/project-lock.js'
import { ProjectBusyError } from '../../../harness/runtime/engine/runtime-errors.js'

/** The lock reads only the engine's endpoint: a stand-in that has just that. */
function engineAt(socketPath: string): Engine {
  return { container: { dockerode: { modem: { socketPath } } } } as unknown as Engine
}

const engine = engineAt(`/run/lock-spec-${process.pid}.sock`)

/** A lock held until `release()` is called; resolves `held` once it is taken. */
function holdLock(project: string, on = engine, action = 'up') {
  let release!: () => void
  const released = new Promise<void>((r) => (release = r))
  let held!: () => void
  const taken = new Promise<void>((r) => (held = r))
  const done = withProjectLock(on, project, { action }, async () => {
    held()
    await released
  })
  return { taken, release, done }
}

describe('project lock', () => {
  it('makes a second run of the same project wait for the first, and tells it who holds the lock', async () => {
    const first = holdLock('shop')
    await first.taken
    const order: string[] = []
    const heard: LockHolder[] = []
    const second = withProjectLock(engine, 'shop', { action: 'down', onWait: (h) => heard.push(h) }, async () => {
      order.push('second')
    })
    await new Promise((r) => setTimeout(r, 200))
    order.push('first released')
    first.release()
    await Promise.all([first.done, second])
    expect(order).toEqual(['first released', 'second'])
    expect(heard).toEqual([{ pid: process.pid, action: 'up' }])
  })

  it('lets runs of different projects, or of one project on different engines, go side by side', async () => {
    const held = holdLock('shop')
    await held.taken
    let ran = 0
    await withProjectLock(engine, 'blog', { action: 'up' }, async () => void ran++)
    await withProjectLock(engineAt('/run/other-engine.sock'), 'shop', { action: 'up' }, async () => void ran++)
    held.release()
    await held.done
    expect(ran).toBe(2)
  })

  it('gives up after the timeout with an error that names the holder', async () => {
    const held = holdLock('shop', engine, 'build')
    await held.taken
    const attempt = withProjectLock(engine, 'shop', { action: 'up', timeoutMs: 300 }, async () => 'ran')
    await expect(attempt).rejects.toBeInstanceOf(ProjectBusyError)
    await expect(attempt).rejects.toThrow(`project "shop" is being changed by process ${process.pid} (build)`)
    held.release()
    await held.done
  })

  it('releases the lock when the work fails', async () => {
    await expect(
      withProjectLock(engine, 'shop', { action: 'up' }, async () => {
        throw new Error('boom')
      }),
    ).rejects.toThrow('boom')
    expect(await withProjectLock(engine, 'shop', { action: 'up', timeoutMs: 500 }, async () => 'free')).toBe('free')
  })

  it('is free at once when the process that held it is killed with SIGKILL', async () => {
    const holder = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        `
      const { withProjectLock } = await import('./harness/runtime/project/project-lock.ts')
      const engine = { container: { dockerode: { modem: { socketPath: ${JSON.stringify(`/run/lock-spec-${process.pid}.sock`)} } } } }
      await withProjectLock(engine, 'killed', { action: 'up' }, () => { console.log('held'); return new Promise(() => setInterval(() => {}, 1000)) })
    `,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    )
    const exited = new Promise((r) => holder.once('exit', r))
    await new Promise<void>((resolve, reject) => {
      holder.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('held') && resolve())
      holder.once('exit', () => reject(new Error('the holder exited before it held the lock')))
    })
    const heard: LockHolder[] = []
    const waiting = withProjectLock(
      engine,
      'killed',
      { action: 'up', timeoutMs: 20_000, onWait: (h) => heard.push(h) },
      async () => Date.now(),
    )
    await new Promise((r) => setTimeout(r, 200))
    const killedAt = Date.now()
    holder.kill('SIGKILL')
    await exited
    const ranAt = await waiting
    expect(heard).toEqual([{ pid: holder.pid, action: 'up' }])
    expect(ranAt - killedAt).toBeLessThan(2000)
  })
})
