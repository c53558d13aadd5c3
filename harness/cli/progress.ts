import type { BuildEvent } from '../runtime/images/build-images.js'
import type { ConvergeEvent } from '../runtime/up/converge-options.js'
import { wantsColour } from './log-prefixer.js'

/** Compose v2's `--progress` values. */
export const PROGRESS_MODES = ['auto', 'tty', 'plain', 'quiet', 'json'] as const
export type ProgressMode = (typeof PROGRESS_MODES)[number]

/** Hears a command's builds and container steps, and shows them. */
export interface ProgressPrinter {
  readonly build: (event: BuildEvent) => void
  readonly converge: (event: ConvergeEvent) => void
  /** The command is past its progress: a live view is drawn a last time and no longer updated. */
  readonly done: () => void
}

const ACTION_WORDS: Record<ConvergeEvent['action'], string> = {
  kept: 'Running',
  started: 'Started',
  created: 'Started',
  'created-only': 'Created',
  recreated: 'Recreated',
  restarted: 'Restarted',
  removed: 'Removed',
  waiting: 'Waiting',
  healthy: 'Healthy',
  completed: 'Exited',
}

/** One thing the progress is about, as Compose v2 names it: `Image for web`, `Container p-web-1`. */
interface Step {
  readonly id: string
  readonly service: string
  readonly status: string
  readonly done: boolean
  readonly ms?: number
  /** A build's latest output line. */
  readonly text?: string
}

function stepOfBuild(e: BuildEvent): Step {
  const about = { id: `Image for ${e.service}`, service: e.service }
  if (e.kind === 'building') return { ...about, status: 'Building', done: false }
  if (e.kind === 'step') return { ...about, status: 'Building', done: false, text: e.line }
  return { ...about, status: 'Built', done: true, ms: e.ms }
}

function stepOfContainer(e: ConvergeEvent): Step {
  const about = { id: `Container ${e.container}`, service: e.service }
  return e.action === 'waiting'
    ? { ...about, status: 'Waiting', done: false }
    : { ...about, status: ACTION_WORDS[e.action], done: true, ms: e.ms }
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)}s`

/**
 * The printer for `mode`. `auto` is the live view on a terminal, plain lines elsewhere or when
 * NO_COLOR is set (or TERM=dumb); `tty` draws the live view whatever stdout is; `quiet` shows
 * nothing; `json` writes one event a line, for CI tools.
 */
export function progressPrinter(
  say: (line: string) => void,
  mode: ProgressMode = 'auto',
  stream: NodeJS.WriteStream = process.stdout,
  env: NodeJS.ProcessEnv = process.env,
): ProgressPrinter {
  const terminal = wantsColour(stream, env) && env.TERM !== 'dumb'
  if (mode === 'tty' || (mode === 'auto' && terminal)) return liveView(say, stream, !env.NO_COLOR)
  if (mode === 'quiet') return { build: () => {}, converge: () => {}, done: () => {} }
  if (mode === 'json') return eachLine(say, (step) => JSON.stringify(step))
  return eachLine(say, plainLine(terminal))
}

function eachLine(say: (line: string) => void, format: (step: Step) => string): ProgressPrinter {
  return {
    build: (e) => say(format(stepOfBuild(e))),
    converge: (e) => say(format(stepOfContainer(e))),
    done: () => {},
  }
}

/** One line an event, with its duration; green ticks only on a terminal without NO_COLOR. */
function plainLine(colour: boolean): (step: Step) => string {
  return (step) => {
    if (step.text !== undefined)
      return colour ? `\x1b[2m => ${step.service}: ${step.text}\x1b[0m` : ` => ${step.service}: ${step.text}`
    const text = `${step.id}  ${step.status}`
    if (!step.done) return text
    return `${colour ? '\x1b[32m✔\x1b[0m ' : ''}${text} ${seconds(step.ms ?? 0)}`
  }
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏']
const REDRAW_MS = 100

/**
 * Compose v2's live view: a header, then one line a container or image that changes in place
 * (its status, its time so far, a build's latest line), redrawn as events come and every 100 ms.
 */
function liveView(say: (line: string) => void, stream: NodeJS.WriteStream, colour: boolean): ProgressPrinter {
  const rows = new Map<string, Step & { readonly since: number }>()
  let drawn = 0
  let frame = 0
  const paint = (code: string, text: string): string => (colour ? `\x1b[${code}m${text}\x1b[0m` : text)
  const draw = (): void => {
    if (rows.size === 0) return
    const width = stream.columns || 80
    const finished = [...rows.values()].filter((r) => r.done).length
    const lines = [
      `${paint('34', '[+]')} Running ${finished}/${rows.size}`,
      ...[...rows.values()].map((r) => {
        const mark = r.done ? paint('32', '✔') : paint('34', SPINNER[frame % SPINNER.length]!)
        const time = seconds(r.done ? (r.ms ?? 0) : Date.now() - r.since)
        const text = r.text && !r.done ? ` ${paint('2', r.text)}` : ''
        return truncate(` ${mark} ${r.id}  ${r.status} ${time}${text}`, width)
      }),
    ]
    say(`${drawn > 0 ? `\x1b[${drawn}A` : ''}${lines.map((l) => `\x1b[2K${l}`).join('\n')}`)
    drawn = lines.length
    frame++
  }
  // Between events only a spinner and a running time change: nothing to redraw once every line is done.
  const timer = setInterval(() => [...rows.values()].some((r) => !r.done) && draw(), REDRAW_MS)
  timer.unref()
  const update = (step: Step): void => {
    const before = rows.get(step.id)
    rows.set(step.id, { ...before, ...step, since: before && !before.done ? before.since : Date.now() })
    draw()
  }
  return {
    build: (e) => update(stepOfBuild(e)),
    converge: (e) => update(stepOfContainer(e)),
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
