import { resolve } from 'node:path'
import { describe, expect, inject, it } from 'vitest'
import { runCli, startCli } from '../support/cli.js'
import { eventually } from '../support/eventually.js'
import { leftOf, reapersOf } from './support/observe.js'
import { uniqueProjectName } from './support/test-projects.js'

const FILE = resolve('fixtures/runtime/named-volume/compose.yml')
/** The reaper acts a second after its process has gone, so that these specs need not wait ten. */
const ENV = { TESTCONTAINERS_RYUK_RECONNECTION_TIMEOUT: '1s' }

/** A foreground `compose-harness up` in a child, once its store has written into the named volume. */
async function foregroundUp(project: string) {
  const run = startCli(['-f', FILE, '-p', project, 'up'], { env: ENV })
  await run.waitFor(/Attaching to/)
  const written = await runCli(
    ['-f', FILE, '-p', project, 'exec', '-T', 'store', 'sh', '-c', 'echo kept > /data/file'],
    { env: ENV },
  )
  expect(written.code).toBe(0)
  return run
}

/** Waits (bounded) for the child's reaper to finish: it removes itself once it has done its work. */
async function reaperGone(pid: number): Promise<void> {
  expect(
    await eventually(
      () => reapersOf(pid),
      (r) => r.length === 0,
      30_000,
      250,
    ),
  ).toEqual([])
}

describe.skipIf(!inject('engineReady'))('the data of a foreground up', () => {
  it('is kept as Compose keeps it when Ctrl+C stops the run: the stopped container, the network and the named volume stay', async () => {
    const project = uniqueProjectName('ctrl-c-keeps')
    try {
      const run = await foregroundUp(project)
      run.signal('SIGINT')
      expect(await run.exited).toBe(130)
      await reaperGone(run.child.pid!)
      expect((await leftOf(project)).sort()).toEqual(
        [`/${project}-store-1`, `${project}_data`, `${project}_default`].sort(),
      )
      const again = await runCli(['-f', FILE, '-p', project, 'up', '-d'], { env: ENV })
      expect(again.code).toBe(0)
      expect(
        (await runCli(['-f', FILE, '-p', project, 'exec', '-T', 'store', 'cat', '/data/file'], { env: ENV })).stdout,
      ).toBe('kept\n')
    } finally {
      await runCli(['-f', FILE, '-p', project, 'down', '-v', '-t', '0'], { env: ENV })
    }
    expect(await leftOf(project)).toEqual([])
  })

  it('survives a crash of the run: SIGKILL removes its containers and network, never its named volume', async () => {
    const project = uniqueProjectName('crash-keeps-data')
    try {
      const run = await foregroundUp(project)
      run.signal('SIGKILL')
      await run.exited
      await reaperGone(run.child.pid!)
      expect(await leftOf(project)).toEqual([`${project}_data`])
    } finally {
      await runCli(['-f', FILE, '-p', project, 'down', '-v', '-t', '0'], { env: ENV })
    }
    expect(await leftOf(project)).toEqual([])
  })
})
