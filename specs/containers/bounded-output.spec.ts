import { resolve } from 'node:path'
import { describe, expect, inject, it } from 'vitest'
import { connectEngine } from '../../harness/runtime/engine.js'
import { startCli } from '../support/cli.js'
import { uniqueProjectName } from './support/test-projects.js'

const CHATTY = resolve('fixtures/runtime/chatty/compose.yml')
/** The container writes about 40 MB; without backpressure the CLI held all of it as strings (about 8 times that). */
const PEAK_LIMIT_MIB = 200

/** Polls until the project's one container has exited: its whole output is then in the engine's log. */
async function exited(project: string, timeoutMs: number): Promise<boolean> {
  const docker = (await connectEngine()).container.dockerode
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const [info] = await docker.listContainers({
      all: true,
      filters: { label: [`com.docker.compose.project=${project}`] },
    })
    if (info?.State === 'exited') return true
    await new Promise((r) => setTimeout(r, 250))
  }
  return false
}

describe.skipIf(!inject('engineReady'))("a foreground up streams at its reader's pace", () => {
  it("holds a chatty container's 40 MB back while its reader does not read, and delivers every line once it does", async () => {
    const project = uniqueProjectName('chatty')
    const cli = startCli(['-f', CHATTY, '-p', project, 'up', '--down-on-exit'], { timeoutMs: 150_000 })
    await cli.waitFor(/Attaching to chatty-1/)
    // The reader stops reading until the container has written everything.
    cli.child.stdout!.pause()
    expect(await exited(project, 60_000)).toBe(true)
    cli.child.stdout!.resume()
    expect(await cli.exited).toBe(0)
    const lines = cli.stdout.split('\n')
    expect(lines.filter((l) => l.startsWith('chatty-1  | a line of output')).length).toBe(400_000)
    expect(lines).toContain('chatty-1  | all written')
    expect(await cli.peakMiB).toBeLessThan(PEAK_LIMIT_MIB)
  }, 180_000)
})
