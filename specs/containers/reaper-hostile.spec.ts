import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { reaperFilter } from '../../harness/runtime/reaper/reaper.js'
import type { RunningCli } from '../support/cli.js'
import { eventually } from '../support/eventually.js'
import { leftOf, reapersOf } from './support/observe.js'
import {
  converse,
  noNewline,
  reaperOfProcess,
  reaperThreads,
  startForeignProject,
  type ForeignProject,
  type ReaperAddress,
} from './support/reaper-client.js'
import { echoUpInChild, uniqueProjectName } from './support/test-projects.js'

const EVERY_COMPOSE_PROJECT = 'label=com.docker.compose.project'

/**
 * The reaper of a foreground `up` (the victim), attacked by a client on the same machine while a
 * Compose v2 project of someone else's runs beside it. Whatever the client sends, the reaper
 * refuses it, stays bounded, and in the end removes the victim's project and nothing else.
 */
describe.skipIf(!inject('engineReady'))('a reaper under a hostile client', () => {
  let foreign: ForeignProject
  let victim: RunningCli
  let project: string
  let reaper: ReaperAddress
  let session: string

  beforeAll(async () => {
    foreign = await startForeignProject()
    project = uniqueProjectName('victim')
    victim = await echoUpInChild(project)
    reaper = await reaperOfProcess(victim.child.pid!)
    session = reaper.session
  }, 120_000)

  afterAll(async () => {
    victim?.signal('SIGKILL')
    await foreign?.[Symbol.asyncDispose]()
  })

  it.each([
    ['the line that once removed every Compose project', `${EVERY_COMPOSE_PROJECT}\n`, /^ERR wrong secret\n$/],
    [
      'its own filter with a guessed secret',
      () => `${'0'.repeat(32)} ${reaperFilter(project, session)}\n`,
      /^ERR wrong secret\n$/,
    ],
    [
      'the secret and a filter for every Compose project',
      () => `${reaper.secret} ${EVERY_COMPOSE_PROJECT}\n`,
      /^ERR a filter names exactly a project and a session/,
    ],
    [
      "the secret and the foreign project with the reaper's session",
      () => `${reaper.secret} ${reaperFilter(foreign.name, 'f'.repeat(16))}\n`,
      /^ERR a filter of another session is taken on only by adopt\n$/,
    ],
    [
      'the secret and an adoption of the foreign project',
      () => `${reaper.secret} adopt ${reaperFilter(foreign.name, 'f'.repeat(16))}\n`,
      /^ERR nothing of project .* carries session f{16}\n$/,
    ],
    [
      'the secret and more labels than a project and a session',
      () => `${reaper.secret} ${reaperFilter(project, session)}&label=x\n`,
      /^ERR /,
    ],
    ['random bytes', () => noNewline(65_536), /^ERR a line is at most 4096 bytes\n$/],
  ] as const)('%s: refused and the connection closed', async (_, line, answer) => {
    const sent = typeof line === 'function' ? line() : line
    const heard = await converse(reaper, sent)
    expect(heard.answer).toMatch(answer)
    expect(heard.closed).toBe(true)
  })

  it('a line of 64 MiB without a newline is cut off at the first 4096 bytes, not read whole', async () => {
    const heard = await converse(reaper, noNewline(64 * 1024 * 1024), 30_000)
    expect(heard.answer).toBe('ERR a line is at most 4096 bytes\n')
    expect(heard.closed).toBe(true)
    // The reaper answers a well-formed line at once afterwards.
    const own = await converse(reaper, `${reaper.secret} ${reaperFilter(project, session)}\n`, 2000)
    expect(own.answer).toBe('ACK\n')
  })

  it('a thousand connections at once: at most 64 held, and each closed in the end', async () => {
    const flood = Promise.all(Array.from({ length: 1000 }, () => converse(reaper, '', 20_000)))
    const threads: number[] = []
    for (let i = 0; i < 6; i++) {
      await new Promise((r) => setTimeout(r, 500))
      threads.push(await reaperThreads(reaper))
    }
    const heard = await flood
    expect(heard.filter((h) => !h.closed)).toEqual([])
    expect(Math.max(...threads)).toBeGreaterThan(10)
    expect(Math.max(...threads)).toBeLessThanOrEqual(64 + 1)
    const own = await converse(reaper, `${reaper.secret} ${reaperFilter(project, session)}\n`, 2000)
    expect(own.answer).toBe('ACK\n')
  }, 90_000)

  it('connections that say nothing, opened one after another, do not keep the reaper from removing the project of its dead run; the foreign project stays whole', async () => {
    let pestering = true
    const pester = (async () => {
      while (pestering) await Promise.race([converse(reaper, '', 6000), new Promise((r) => setTimeout(r, 300))])
    })()
    victim.signal('SIGKILL')
    const left = await eventually(
      () => leftOf(project),
      (l) => l.length === 0,
      45_000,
    )
    pestering = false
    await pester
    expect(left).toEqual([])
    expect(
      await eventually(
        () => reapersOf(victim.child.pid!),
        (r) => r.length === 0,
        20_000,
      ),
    ).toEqual([])
    expect(await foreign.intact()).toBe(true)
  }, 90_000)
})
