import { resolve } from 'node:path'
import { describe, expect, inject, it } from 'vitest'
import { startCli } from '../support/cli.js'
import { eventually } from '../support/eventually.js'
import { statesOf } from './support/observe.js'
import { uniqueProjectName } from './support/test-projects.js'

const CHATTY = resolve('fixtures/runtime/chatty/compose.yml')
/** The container writes about 40 MB; without backpressure the CLI held all of it as strings (about 8 times that). */
const PEAK_LIMIT_MIB = 200

describe.skipIf(!inject('engineReady'))("a foreground up streams at its reader's pace", () => {
  it("holds a chatty container's 40 MB back while its reader does not read, and delivers every line once it does", async () => {
    const project = uniqueProjectName('chatty')
    const cli = startCli(['-f', CHATTY, '-p', project, 'up', '--down-on-exit'], { timeoutMs: 150_000 })
    await cli.waitFor(/Attaching to chatty-1/)
    // The reader stops reading until the container has written everything.
    cli.child.stdout!.pause()
    expect(
      await eventually(
        () => statesOf(project),
        (s) => s[0] === 'exited',
        60_000,
        250,
      ),
    ).toEqual(['exited'])
    cli.child.stdout!.resume()
    expect(await cli.exited).toBe(0)
    const lines = cli.stdout.split('\n')
    expect(lines.filter((l) => l.startsWith('chatty-1  | a line of output')).length).toBe(400_000)
    expect(lines).toContain('chatty-1  | all written')
    expect(await cli.peakMiB).toBeLessThan(PEAK_LIMIT_MIB)
  }, 180_000)
})
