import { describe, expect, it } from 'vitest'
import { progressPrinter, truncate, type ProgressMode } from '../../../harness/cli/progress.js'
import { outputModes } from '../../../harness/cli/global-flags.js'
import { wantsColour } from '../../../harness/cli/log-prefixer.js'

/** Moves the cursor up over lines drawn before, at the start of a frame. */
const CURSOR_UP = new RegExp(`^${'\x1b'}\\[\\d+A`)
const terminal = { isTTY: true, columns: 60 } as NodeJS.WriteStream
const pipe = { isTTY: false } as NodeJS.WriteStream

function printed(mode: Parameters<typeof progressPrinter>[1], stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = {}) {
  const lines: string[] = []
  const printer = progressPrinter((l) => lines.push(l), mode, stream, env)
  printer.build({ kind: 'building', service: 'web', builder: 'classic' })
  printer.build({ kind: 'step', service: 'web', line: 'Step 1/2 : FROM debian:bookworm' })
  printer.build({ kind: 'built', service: 'web', ms: 1200 })
  printer.step({ id: 'Container p-db-1', status: 'Waiting', state: 'working' })
  printer.step({ id: 'Container p-db-1', status: 'Healthy', state: 'done' })
  printer.step({ id: 'Container p-web-1', status: 'Created', state: 'done' })
  printer.done()
  return lines
}

describe('progress (--progress)', () => {
  it("plain: one line an event as Compose v2's plain writer prints it, on a pipe and under auto there", () => {
    const expected = [
      // A classic build, as v2 shows it: its steps as the builder writes them, between its service's lines.
      ' Service web  Building',
      'Step 1/2 : FROM debian:bookworm',
      ' Service web  Built',
      ' web  Built',
      ' Container p-db-1  Waiting',
      ' Container p-db-1  Healthy',
      ' Container p-web-1  Created',
    ]
    expect(printed('plain', pipe)).toEqual(expected)
    expect(printed('auto', pipe)).toEqual(expected)
  })

  it("plain: a classic build's own lines as v2 prints them, its steps among them once; the live view and json leave them out", () => {
    const run = (mode: ProgressMode, stream: NodeJS.WriteStream) => {
      const lines: string[] = []
      const printer = progressPrinter((l) => lines.push(l), mode, stream, {})
      printer.build({ kind: 'building', service: 'web', builder: 'classic' })
      for (const line of [
        'Sending build context to Docker daemon     228B',
        'Step 1/2 : FROM debian',
        ' ---> 0114c30fd75f',
      ])
        printer.build({ kind: 'output', service: 'web', line })
      printer.build({ kind: 'step', service: 'web', line: 'Step 1/2 : FROM debian' })
      printer.build({ kind: 'built', service: 'web', ms: 1200 })
      printer.done()
      return lines
    }
    expect(run('plain', pipe)).toEqual([
      ' Service web  Building',
      'Sending build context to Docker daemon     228B',
      'Step 1/2 : FROM debian',
      ' ---> 0114c30fd75f',
      ' Service web  Built',
      ' web  Built',
    ])
    expect(run('json', pipe).join('\n')).not.toContain('0114c30fd75f')
    expect(run('tty', terminal).join('\n')).not.toContain('0114c30fd75f')
  })

  it('plain: a BuildKit build as BuildKit’s printer shows its status, then `web  Built`; what was said before its status as it is', () => {
    const lines: string[] = []
    const printer = progressPrinter((l) => lines.push(l), 'plain', pipe, {})
    const v = { digest: 'a', name: '[1/1] FROM debian', cached: true, started: true, completed: true }
    printer.build({ kind: 'building', service: 'web', builder: 'buildkit' })
    printer.build({ kind: 'step', service: 'web', line: 'WARNING: local cache import at /c skipped' })
    printer.build({
      kind: 'status',
      service: 'web',
      status: { vertexes: [{ ...v, startedAt: 1, completedAt: 1 }], logs: [] },
    })
    printer.build({ kind: 'step', service: 'web', line: 'CACHED [1/1] FROM debian' })
    printer.build({ kind: 'built', service: 'web', ms: 10 })
    expect(lines).toEqual([
      'WARNING: local cache import at /c skipped',
      '#0 building with "default" instance using docker driver',
      '',
      '#1 [web 1/1] FROM debian',
      '#1 CACHED',
      ' web  Built',
    ])
  })

  it('auto on a terminal is the live view, but plain under NO_COLOR or TERM=dumb', () => {
    expect(printed('auto', terminal).join('\n')).toContain('\x1b[2K')
    for (const env of [{ NO_COLOR: '1' }, { TERM: 'dumb' }])
      expect(printed('auto', terminal, env).join('\n'), JSON.stringify(env)).not.toContain('\x1b[')
  })

  it('tty: redraws one block in place, a line per image and container, each with its latest status', () => {
    const frames = printed('tty', pipe, { NO_COLOR: '1' })
    // Every frame after the first moves back up over the previous one before drawing.
    expect(frames[0]).not.toMatch(CURSOR_UP)
    for (const [i, frame] of frames.entries()) if (i > 0) expect(frame).toMatch(CURSOR_UP)
    const last = frames
      .at(-1)!
      .replace(CURSOR_UP, '')
      .split('\n')
      .map((l) => l.replace('\x1b[2K', ''))
    expect(last.map((l) => l.replace(/ \d+\.\ds$/, ''))).toEqual([
      '[+] Running 3/3',
      ' ✔ Image for web  Built',
      ' ✔ Container p-db-1  Healthy',
      ' ✔ Container p-web-1  Created',
    ])
    expect(frames.at(-1)!.startsWith('\x1b[4A')).toBe(true)
    // While building, the image's line shows the build's latest output.
    expect(frames[1]).toContain('Image for web  Building')
    expect(frames[1]).toContain('Step 1/2 : FROM debian:bookworm')
  })

  it("json: one event a line, as Compose v2's JSON writer writes them", () => {
    const lines = printed('json', terminal)
    expect(lines).toHaveLength(6)
    expect(lines[0]).toBe('{"id":"web","status":"Building"}')
    expect(lines[1]).toBe('{"id":"web","text":"Step 1/2 : FROM debian:bookworm","status":"Building"}')
    expect(lines[2]).toBe('{"id":"web","status":"Built"}')
    expect(lines[4]).toBe('{"id":"Container p-db-1","status":"Healthy"}')
  })

  it('marks a row that failed or warned as v2 does, and counts it as finished', () => {
    const frames: string[] = []
    const printer = progressPrinter((l) => frames.push(l), 'tty', pipe, { NO_COLOR: '1' })
    printer.step({ id: 'Container p-db-1', status: 'Stopping', state: 'working' })
    printer.step({ id: 'Container p-db-1', status: 'Error while Stopping', state: 'error' })
    printer.step({ id: 'Network p_default', status: 'Resource is still in use', state: 'warning' })
    printer.done()
    expect(frames.at(-1)).toContain('[+] Running 2/2')
    expect(frames.at(-1)).toContain('✘ Container p-db-1  Error while Stopping')
    expect(frames.at(-1)).toContain('! Network p_default  Resource is still in use')
  })

  it('quiet: nothing', () => {
    expect(printed('quiet', terminal)).toEqual([])
  })

  it('cuts a live line to the terminal’s width, not counting colour codes, so that it never wraps', () => {
    expect(truncate('\x1b[32m✔\x1b[0m Container p-web-1  Started', 12)).toBe('\x1b[32m✔\x1b[0m Container')
    expect(truncate('short', 80)).toBe('short')
  })
})

describe('--ansi and --progress, settled as Compose v2 settles them', () => {
  const modes = (globals: { ansi?: string; progress?: ProgressMode }, env: NodeJS.ProcessEnv = {}) => {
    const warnings: string[] = []
    return { ...outputModes(globals, env, (w) => warnings.push(w)), warnings }
  }

  it('never: plain progress and no colours; always: the live view and colours; auto: as the streams allow', () => {
    expect(modes({ ansi: 'never' })).toEqual({ progress: 'plain', ansi: 'never', warnings: [] })
    expect(modes({ ansi: 'always' })).toEqual({ progress: 'tty', ansi: 'always', warnings: [] })
    expect(modes({})).toEqual({ warnings: [] })
    expect(modes({ ansi: 'never', progress: 'json' })).toEqual({ progress: 'json', ansi: 'never', warnings: [] })
  })

  it('takes COMPOSE_ANSI when --ansi is not given; NO_COLOR takes the colours away, not the live view', () => {
    expect(modes({}, { COMPOSE_ANSI: 'always' })).toEqual({ progress: 'tty', ansi: 'always', warnings: [] })
    expect(modes({ ansi: 'auto' }, { COMPOSE_ANSI: 'never' })).toEqual({ warnings: [] })
    expect(modes({ ansi: 'always' }, { NO_COLOR: '1' })).toEqual({ progress: 'tty', ansi: 'never', warnings: [] })
  })

  it('refuses a --progress that contradicts --ansi, and reads another --ansi as auto with a warning', () => {
    expect(() => modes({ ansi: 'never', progress: 'tty' })).toThrow(
      "can't use --progress tty while ANSI support is disabled",
    )
    expect(() => modes({ ansi: 'always', progress: 'plain' })).toThrow(
      "can't use --progress plain while ANSI support is forced",
    )
    expect(modes({ ansi: 'sometimes' })).toEqual({
      warnings: ['WARN --ansi sometimes is not never, always or auto: auto is used'],
    })
  })

  it('colours as --ansi says, whatever the stream', () => {
    expect([wantsColour(pipe, {}), wantsColour(pipe, {}, 'always'), wantsColour(terminal, {}, 'never')]).toEqual([
      false,
      true,
      false,
    ])
    expect(wantsColour(terminal, {})).toBe(true)
    expect(wantsColour(terminal, { NO_COLOR: '1' })).toBe(false)
  })

  it('--dry-run: each line says so, as v2 says it (a prefix in plain and live views, "dry-run":true first in JSON)', () => {
    const lines = (mode: ProgressMode, stream: NodeJS.WriteStream) => {
      const out: string[] = []
      const printer = progressPrinter((l) => out.push(l), mode, stream, { NO_COLOR: '1' }, 'auto', true)
      printer.step({ id: 'Container p-web-1', status: 'Started', state: 'done' })
      printer.done()
      return out
    }
    expect(lines('plain', pipe)).toEqual([' DRY-RUN MODE -  Container p-web-1  Started'])
    expect(lines('json', pipe)).toEqual(['{"dry-run":true,"id":"Container p-web-1","status":"Started"}'])
    expect(lines('tty', terminal).at(-1)).toContain('✔ DRY-RUN MODE -  Container p-web-1  Started')
  })
})
