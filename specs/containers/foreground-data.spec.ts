import { spawn } from 'node:child_process'
import { resolve } from 'node:path'
import { describe, expect, inject, it } from 'vitest'
import { connectEngine } from '../../harness/runtime/engine.js'
import { leftOf } from './support/observe.js'
import { runCli } from './support/run-cli.js'
import { uniqueProjectName } from './support/test-projects.js'

const FILE = resolve('fixtures/runtime/named-volume/compose.yml')
/** The reaper acts a second after its process has gone, so that these specs need not wait ten. */
const ENV = { ...process.env, NO_COLOR: '1', TESTCONTAINERS_RYUK_RECONNECTION_TIMEOUT: '1s' }

/** A foreground `compose-harness up` in a child, resolved once its store has written into the named volume. */
async function foregroundUp(project: string) {
  const child = spawn(process.execPath, ['bin/compose-harness.js', '-f', FILE, '-p', project, 'up'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: ENV,
  })
  const exited = new Promise<number | null>((done) => child.on('exit', done))
  await new Promise<void>((done, fail) => {
    let output = ''
    const timer = setTimeout(() => fail(new Error(`no start within 60 s:\n${output}`)), 60_000)
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      if (/Attaching to/.test(output)) {
        clearTimeout(timer)
        done()
      }
    })
  })
  const written = await runCli(
    ['-f', FILE, '-p', project, 'exec', '-T', 'store', 'sh', '-c', 'echo kept > /data/file'],
    ENV,
  )
  expect(written.code).toBe(0)
  return { child, exited }
}

/** Waits for the child's reaper to finish (it removes itself), bounded. */
async function reaperGone(pid: number): Promise<void> {
  const docker = (await connectEngine()).container.dockerode
  const deadline = Date.now() + 30_000
  while (
    (await docker.listContainers({ all: true, filters: { label: [`com.compose-harness.reaper.pid=${pid}`] } })).length >
    0
  ) {
    if (Date.now() > deadline) throw new Error(`the reaper of process ${pid} was still there after 30 s`)
    await new Promise((r) => setTimeout(r, 250))
  }
}

describe.skipIf(!inject('engineReady'))('the data of a foreground up', () => {
  it('is kept as Compose keeps it when Ctrl+C stops the run: the stopped container, the network and the named volume stay', async () => {
    const project = uniqueProjectName('ctrl-c-keeps')
    try {
      const { child, exited } = await foregroundUp(project)
      child.kill('SIGINT')
      expect(await exited).toBe(130)
      await reaperGone(child.pid!)
      expect((await leftOf(project)).sort()).toEqual(
        [`/${project}-store-1`, `${project}_data`, `${project}_default`].sort(),
      )
      const again = await runCli(['-f', FILE, '-p', project, 'up', '-d'], ENV)
      expect(again.code).toBe(0)
      expect((await runCli(['-f', FILE, '-p', project, 'exec', '-T', 'store', 'cat', '/data/file'], ENV)).stdout).toBe(
        'kept\n',
      )
    } finally {
      await runCli(['-f', FILE, '-p', project, 'down', '-v', '-t', '0'], ENV)
    }
    expect(await leftOf(project)).toEqual([])
  })

  it('survives a crash of the run: SIGKILL removes its containers and network, never its named volume', async () => {
    const project = uniqueProjectName('crash-keeps-data')
    try {
      const { child, exited } = await foregroundUp(project)
      child.kill('SIGKILL')
      await exited
      await reaperGone(child.pid!)
      expect(await leftOf(project)).toEqual([`${project}_data`])
    } finally {
      await runCli(['-f', FILE, '-p', project, 'down', '-v', '-t', '0'], ENV)
    }
    expect(await leftOf(project)).toEqual([])
  })
})
