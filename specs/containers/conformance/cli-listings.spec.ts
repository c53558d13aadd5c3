import { describe, expect, inject, it } from 'vitest'
import { referenceCompose, runReference } from '../../../harness/conformance/reference-compose.js'
import { spawn } from 'node:child_process'
import { TIMED_OUT, within } from '../../../harness/runtime/engine/timeout-race.js'
import { runCli, startCli } from '../../support/cli.js'
import { leftOf } from '../support/observe.js'
import { ECHO_BUILD_FILE, ECHO_FILE, uniqueProjectName } from '../support/test-projects.js'

/** What a listing printed, with Compose v2's warning about `version:` left out (the harness's comes as `WARN …`). */
interface Printed {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

const withoutWarnings = (stderr: string): string =>
  stderr
    .split('\n')
    .filter((l) => !/level=warning|^WARN /.test(l) && !l.startsWith("Run 'compose-harness --help'"))
    .join('\n')

/**
 * A table as its cells, the columns `left` left out: the columns that tell time (`ps`'s CREATED and
 * STATUS, `top`'s C and TIME) differ between two runs moments apart, and those columns' widths with
 * them. Every other cell must be the same.
 */
const cellsWithout =
  (...left: string[]) =>
  (table: string): string[][] => {
    const [header = '', ...rows] = table.split('\n').filter(Boolean)
    const starts = [...header.matchAll(/\S+(?: \S+)*/g)].map((m) => [m.index, m[0]] as const)
    return [header, ...rows].map((row, i) =>
      starts
        .map(([start, title], k) => [title, i === 0 ? title : row.slice(start, starts[k + 1]?.[0]).trim()] as const)
        .filter(([title]) => !left.includes(title))
        .map(([, cell]) => cell),
    )
  }
const timeless = cellsWithout('CREATED', 'STATUS')

describe.skipIf(!inject('engineReady'))('the listings of Compose v2 and the harness, on one project', () => {
  it('are the same: ps and its flags and templates, top, stats, events, attach, images -q, config --services, --images, --volumes, --networks and --profiles, logs --no-log-prefix, --since, --until and --index, ls --filter', async () => {
    const project = uniqueProjectName('listings')
    const files = ['-p', project, '-f', ECHO_FILE, '-f', ECHO_BUILD_FILE]
    const harness = async (args: string[]): Promise<Printed> => runCli([...files, ...args], { timeoutMs: 60_000 })
    const reference = async (args: string[]): Promise<Printed> =>
      runReference(referenceCompose(), [...files, ...args], { timeoutMs: 60_000 })
    const since = String(Math.floor(Date.now() / 1000) - 1)
    try {
      expect((await harness(['up', '-d', '--wait'])).code).toBe(0)
      const same = async (args: string[], shape: (out: string) => unknown = (out) => out): Promise<void> => {
        const [ours, theirs] = await Promise.all([harness(args), reference(args)])
        expect({ code: ours.code, stdout: shape(ours.stdout) }, args.join(' ')).toEqual({
          code: theirs.code,
          stdout: shape(theirs.stdout),
        })
        expect(withoutWarnings(ours.stderr).trim() === '', args.join(' ')).toBe(
          withoutWarnings(theirs.stderr).trim() === '',
        )
      }
      const lines = (out: string) => out.split('\n').filter(Boolean).sort()
      await same(['ps'], timeless)
      // Compose 2.40's one table of every container's processes (SERVICE, #, the engine's titles, CMD last).
      await same(['top'], cellsWithout('C', 'TIME'))
      await same(['top', 'client'], cellsWithout('C', 'TIME'))
      await same(['ps', '--no-trunc', 'client'], timeless)
      await same(['ps', '-q'])
      await same(['ps', '-q', 'client'])
      await same(['ps', '--services'])
      await same(['ps', '--status', 'running', '-q'])
      await same(['ps', '--status', 'exited'])
      await same(['ps', '--filter', 'status=running', '--services'])
      await same(['ps', '--filter', 'colour=blue'])
      await same(['ps', 'nosuch'])
      await same(['ps', '--format', '{{.Name}}\\t{{.Service}} {{upper .State}}'], lines)
      await same(['ps', '--format', 'table {{.Service}}\\t{{.Image}}\\t{{.ExitCode}}'], lines)
      await same(['ps', '--format', '{{.Nope}}'], () => '')
      // stats: the figures change from moment to moment; the containers, columns and fields do not.
      await same(['stats', '--no-stream', '--format', '{{.Name}}'], lines)
      await same(['stats', '--no-stream'], (out) => out.split('\n')[0]!.split(/\s{2,}/))
      await same(['stats', '--no-stream', '--format', 'json'], (out) =>
        lines(out).map((l) => Object.keys(JSON.parse(l) as object).join(',')),
      )
      // events: the engine's, of the one project, between two moments: the same events, in the same words.
      const until = String(Math.floor(Date.now() / 1000) + 1)
      const sortedAttributes = (out: string) =>
        lines(out).map((l) => l.replace(/\((.*)\)$/, (_, a: string) => `(${a.split(', ').sort().join(', ')})`))
      // Compose 2.40 reads the stream's end at --until as an error (`EOF`, exit 1): the divergence
      // table's events-until-ends-well. The events themselves are the same.
      const sameEvents = async (args: string[], shape: (out: string) => unknown) => {
        const [ours, theirs] = await Promise.all([harness(args), reference(args)])
        expect([ours.code, theirs.code, theirs.stderr.trim()]).toEqual([0, 1, 'EOF'])
        expect(shape(ours.stdout), args.join(' ')).toEqual(shape(theirs.stdout))
      }
      await sameEvents(['events', '--json', '--since', since, '--until', until], (out) => out)
      await sameEvents(['events', '--since', since, '--until', until], sortedAttributes)
      await same(['images', '-q'], lines)
      await same(['images'], (out) => out.split('\n')[0])
      for (const list of ['--services', '--images', '--volumes', '--networks', '--profiles'])
        await same(['config', list], list === '--images' ? lines : (out) => out)
      await same(['logs', '--no-log-prefix', '--tail', '1', 'client'])
      await same(['logs', '--no-log-prefix', '--since', '1h', '--tail', '1', 'client'])
      await same(['logs', '--index', '1', '--tail', '1', 'client'])
      await same(['logs', '--until', '2000-01-01T00:00:00Z', 'client'])
      // ls takes no project: the filter picks this one out of whatever else the engine has.
      const bare = async (args: string[]) => {
        const [ours, theirs] = await Promise.all([
          runCli(args, { timeoutMs: 60_000 }),
          runReference(referenceCompose(), args, { timeoutMs: 60_000 }),
        ])
        expect({ code: ours.code, stdout: ours.stdout }, args.join(' ')).toEqual({
          code: theirs.code,
          stdout: theirs.stdout,
        })
      }
      await bare(['ls', '--filter', `name=^${project}$`])
      await bare(['ls', '--filter', `name=${project}`, '-q'])
      await bare(['ls', '--filter', 'colour=blue'])
      // stats without --no-stream shows the figures again every second, until Ctrl+C.
      const streaming = startCli([...files, 'stats'], { timeoutMs: 60_000 })
      const clear = `${String.fromCharCode(27)}[2J`
      await streaming.waitFor(
        new RegExp(`${clear.replace('[', '\\[')}[^]*${clear.replace('[', '\\[')}[^]*CONTAINER ID`),
        30_000,
      )
      streaming.signal('SIGINT')
      expect(await streaming.exited).toBe(130)
      // attach, last (it ends with the client stopped): both see its next line, and end with its code.
      const ours = startCli([...files, 'attach', '--no-stdin', 'client'], { timeoutMs: 60_000 })
      const [command, ...rest] = referenceCompose()
      const theirs = spawn(command!, [...rest, ...files, 'attach', '--no-stdin', 'client'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      let theirOutput = ''
      const theirLine = new Promise<void>((resolve) =>
        theirs.stdout.on('data', (chunk: Buffer) => {
          theirOutput += chunk.toString()
          if (/Received: Hello, world/.test(theirOutput)) resolve()
        }),
      )
      const theirCode = new Promise<number | null>((resolve) => theirs.on('close', resolve))
      const [, seen] = await Promise.all([ours.waitFor(/^Received: Hello, world$/m, 30_000), within(theirLine, 30_000)])
      expect(seen, theirOutput).not.toBe(TIMED_OUT)
      expect((await harness(['stop', 'client'])).code).toBe(0)
      expect(await ours.exited).toBe(await theirCode)
      // The same unknown filter: both name it.
      expect((await harness(['ps', '--filter', 'colour=blue'])).stderr).toContain('unknown filter colour')
    } finally {
      await harness(['down', '-t', '0'])
    }
    expect(await leftOf(project)).toEqual([])
  })
})
