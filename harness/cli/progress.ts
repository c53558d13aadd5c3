import type { BuildEvent } from '../runtime/images/build-images.js'
import type { OnProgress, ProgressEvent } from '../runtime/engine/progress-events.js'
import { wantsColour, type AnsiMode } from './log-prefixer.js'
import { PlainBuildTrace } from './build-plain.js'
import { statusJson } from './build-json.js'
import type { BuildStatus } from '../runtime/images/buildkit-status.js'

/** Compose v2's `--progress` values. */
export const PROGRESS_MODES = ['auto', 'tty', 'plain', 'quiet', 'json'] as const
export type ProgressMode = (typeof PROGRESS_MODES)[number]

/** Hears a command's builds and its steps on containers, networks, volumes and images, and shows them. */
export interface ProgressPrinter {
  readonly build: (event: BuildEvent) => void
  readonly step: (event: ProgressEvent) => void
  /** The command is past its progress: a live view is drawn a last time and no longer updated. */
  readonly done: () => void
}

/** One row of the progress, as Compose v2 shows it: `Container p-web-1  Started`. */
interface Row {
  readonly id: string
  readonly status: string
  readonly state: ProgressEvent['state']
  /** A build's latest output line. */
  readonly text?: string
  readonly service?: string
}

function rowOfBuild(e: Exclude<BuildEvent, { kind: 'status' | 'output' }>, id = `Image for ${e.service}`): Row {
  const about = { id, service: e.service }
  if (e.kind === 'building') return { ...about, status: 'Building', state: 'working' }
  if (e.kind === 'step') return { ...about, status: 'Building', state: 'working', text: e.line }
  return { ...about, status: 'Built', state: 'done' }
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)}s`

/**
 * The printer for `mode`, writing with `say` to `stream` (standard error, unless
 * COMPOSE_STATUS_STDOUT says otherwise, as in Compose v2). `auto` is the live view on a terminal,
 * plain lines elsewhere or when NO_COLOR is set (or TERM=dumb); `tty` draws the live view whatever
 * the stream is; `quiet` shows nothing; `json` writes one event a line, as v2 writes them.
 */
export function progressPrinter(
  say: (line: string) => void,
  mode: ProgressMode = 'auto',
  stream: NodeJS.WriteStream = process.stderr,
  env: NodeJS.ProcessEnv = process.env,
  ansi: AnsiMode = 'auto',
  /** `--dry-run`: each line says so, as v2's do (a prefix; `"dry-run":true` in JSON). */
  dryRun = false,
  /** Where a build's own output goes under `plain` (BuildKit's printer, the classic builder's steps): standard output, as v2 writes it. */
  out: (line: string) => void = say,
): ProgressPrinter {
  const terminal = wantsColour(stream, env) && env.TERM !== 'dumb'
  const prefix = dryRun ? DRY_RUN_PREFIX : ''
  if (mode === 'tty' || (mode === 'auto' && terminal))
    return liveView(say, stream, !env.NO_COLOR && ansi !== 'never', prefix)
  if (mode === 'quiet') return { build: () => {}, step: () => {}, done: () => {} }
  // A build's row is the service's, as v2's JSON writer names it (`{"id":"app","status":"Built"}`);
  // BuildKit's status goes to standard output as v2 writes it there.
  if (mode === 'json')
    return eachLine(say, (row) => jsonLine(row, dryRun), {
      id: (service) => service,
      status: (service, status) => out(statusJson(service, status)),
    })
  return plainPrinter(say, prefix, out)
}

/**
 * Compose v2's plain lines (`Container p-web-1  Started`), a build's as v2 shows them: a BuildKit
 * build as BuildKit's own printer shows its status (build-plain.ts), then `app  Built`; a classic
 * build as `Service app  Building`, every line the builder writes (the context's upload first),
 * `Service app  Built`.
 * The build's own output goes to `out` (standard output, as v2 writes it), the rest to `say`. A
 * line said before BuildKit's status starts (a warning) is shown as it is.
 */
function plainPrinter(say: (line: string) => void, prefix: string, out: (line: string) => void): ProgressPrinter {
  const line = (text: string) => say(`${prefix}${text}`)
  const output = (text: string) => out(`${prefix}${text}`)
  const trace = new PlainBuildTrace(output)
  const traced = new Set<string>()
  const classic = new Set<string>()
  /** Classic builds whose own lines have started: their steps are among them. */
  const writing = new Set<string>()
  // BuildKit's printer shows what changed at ticks of 150 ms, not at each message.
  let ticks: NodeJS.Timeout | undefined
  return {
    build: (e) => {
      if (e.kind === 'status') {
        traced.add(e.service)
        trace.status(e.service, e.status)
        ticks ??= setInterval(() => trace.flush(), TICK_MS).unref()
      } else if (e.kind === 'building') {
        if (e.builder === 'classic') classic.add(e.service)
        if (classic.has(e.service)) line(` Service ${e.service}  Building`)
      } else if (e.kind === 'output') {
        writing.add(e.service)
        output(e.line)
      } else if (e.kind === 'step') {
        if (classic.has(e.service)) {
          if (!writing.has(e.service)) output(e.line)
        } else if (!traced.has(e.service)) line(e.line)
      } else {
        trace.flush()
        for (const summary of trace.summary(e.service)) output(summary)
        if (classic.has(e.service)) line(` Service ${e.service}  Built`)
        line(` ${e.service}  Built`)
      }
    },
    step: (e) => line(plainLine(e)),
    done: () => {
      clearInterval(ticks)
      trace.flush()
    },
  }
}

/** How often BuildKit's plain printer shows what changed. */
const TICK_MS = 150

/** What Compose v2 puts before each line of a dry run's progress. */
export const DRY_RUN_PREFIX = ' DRY-RUN MODE - '

/** Where a command's progress goes and how it is asked for: the part of its `Io` the printer needs. */
interface StatusOutput {
  readonly status: (line: string) => void
  /** Standard output: a build's own output under `plain`, as v2 writes it there. */
  readonly say?: (line: string) => void
  readonly statusStream: NodeJS.WriteStream
  readonly progress?: ProgressMode
  readonly ansi?: AnsiMode
  readonly dryRun?: boolean
}

/** The printer for a command's progress, where and as its command line asks (`--progress`, COMPOSE_STATUS_STDOUT, `--dry-run`). */
export function progressOf(io: StatusOutput): ProgressPrinter {
  return progressPrinter(io.status, io.progress, io.statusStream, process.env, io.ansi, io.dryRun, io.say)
}

/** Runs a command's work with its progress shown, and the live view drawn a last time after it. */
export async function showingProgress<T>(io: StatusOutput, work: (onProgress: OnProgress) => Promise<T>): Promise<T> {
  const progress = progressOf(io)
  try {
    return await work(progress.step)
  } finally {
    progress.done()
  }
}

function eachLine(
  say: (line: string) => void,
  format: (row: Row) => string,
  builds: {
    readonly id: (service: string) => string
    readonly status: (service: string, status: BuildStatus) => void
  },
): ProgressPrinter {
  const traced = new Set<string>()
  return {
    build: (e) => {
      if (e.kind === 'status') {
        traced.add(e.service)
        builds.status(e.service, e.status)
      } else if (e.kind !== 'output' && (e.kind !== 'step' || !traced.has(e.service)))
        say(format(rowOfBuild(e, builds.id(e.service))))
    },
    step: (e) => say(format(e)),
    done: () => {},
  }
}

/** Compose v2's plain line: its ID, its text (most often empty) and its status, each after a space (Go's Println). */
function plainLine(row: Row): string {
  return ` ${row.id} ${row.text ?? ''} ${row.status}`
}

/** Compose v2's JSON line: `{"id":…,"status":…}`, a build's output line as its `text`, `"dry-run":true` first in a dry run. */
function jsonLine(row: Row, dryRun: boolean): string {
  return JSON.stringify({
    ...(dryRun && { 'dry-run': true }),
    id: row.id,
    ...(row.text && { text: row.text }),
    ...(row.status && { status: row.status }),
  })
}

/** The mark of a finished row, with its colour: v2's ✔, ! and ✘. */
const MARKS: Partial<Record<ProgressEvent['state'], readonly [string, string]>> = {
  done: ['32', '✔'],
  warning: ['33', '!'],
  error: ['31', '✘'],
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏']
const REDRAW_MS = 100

/**
 * Compose v2's live view: a header, then one line a container or image that changes in place
 * (its status, its time so far, a build's latest line), redrawn as events come and every 100 ms.
 */
function liveView(
  say: (line: string) => void,
  stream: NodeJS.WriteStream,
  colour: boolean,
  prefix: string,
): ProgressPrinter {
  const rows = new Map<string, Row & { readonly since: number; readonly ms?: number }>()
  let drawn = 0
  let frame = 0
  const paint = (code: string, text: string): string => (colour ? `\x1b[${code}m${text}\x1b[0m` : text)
  const draw = (): void => {
    if (rows.size === 0) return
    const width = stream.columns || 80
    const finished = [...rows.values()].filter((r) => r.state !== 'working').length
    const lines = [
      `${paint('34', '[+]')} Running ${finished}/${rows.size}`,
      ...[...rows.values()].map((r) => {
        const working = r.state === 'working'
        const mark = MARKS[r.state]
          ? paint(MARKS[r.state]![0], MARKS[r.state]![1])
          : paint('34', SPINNER[frame % SPINNER.length]!)
        const time = seconds(working ? Date.now() - r.since : (r.ms ?? 0))
        // A pull's row says what it does in its text, as v2's does (`app Pulling`), with no status.
        if (r.status === '' && r.text) return truncate(` ${mark}${prefix} ${r.id} ${r.text} ${time}`, width)
        const text = r.text && (working || r.service === undefined) ? ` ${paint('2', r.text)}` : ''
        return truncate(` ${mark}${prefix} ${r.id}  ${r.status} ${time}${text}`, width)
      }),
    ]
    say(`${drawn > 0 ? `\x1b[${drawn}A` : ''}${lines.map((l) => `\x1b[2K${l}`).join('\n')}`)
    drawn = lines.length
    frame++
  }
  // Between events only a spinner and a running time change: nothing to redraw once every line is done.
  const timer = setInterval(() => [...rows.values()].some((r) => r.state === 'working') && draw(), REDRAW_MS)
  timer.unref()
  const update = (row: Row): void => {
    const before = rows.get(row.id)
    const since = before?.state === 'working' ? before.since : Date.now()
    rows.set(row.id, { ...row, since, ...(row.state !== 'working' && { ms: Date.now() - since }) })
    draw()
  }
  return {
    build: (e) => e.kind !== 'status' && e.kind !== 'output' && update(rowOfBuild(e)),
    step: (e) => update(e),
    done: () => {
      clearInterval(timer)
      draw()
    },
  }
}

const COLOUR_CODE = new RegExp(`(${'\x1b'}\\[[0-9;]*m)`)

/** At most `width` visible characters (escape sequences do not count), so that a line never wraps and breaks the redraw. */
export function truncate(line: string, width: number): string {
  let visible = 0
  let out = ''
  for (const part of line.split(COLOUR_CODE)) {
    if (part.startsWith('\x1b[')) {
      out += part
      continue
    }
    const room = width - 1 - visible
    out += [...part].slice(0, Math.max(0, room)).join('')
    visible += Math.min([...part].length, Math.max(0, room))
  }
  return out
}
