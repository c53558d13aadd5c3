import type { LogWindow } from '../runtime/container/container-logs.js'
import type { ServiceHandle } from '../runtime/container/service-handle.js'
import type { Io } from './io.js'
import { logPrefixer, WATCH_WRITER, watchPrefixer, wantsColour, type AnsiMode } from './log-prefixer.js'

export interface FollowedOutput {
  /** `client-1`, as each container's lines are prefixed, in the order of the handles. */
  readonly names: readonly string[]
  /** One a handle: true once its output has ended, false when it could not be followed. */
  readonly ended: readonly Promise<boolean>[]
  /** Stops following every container. */
  stop(): Promise<void>
}

/**
 * Follows each container's output and writes it prefixed by the container's name, as `logs -f` and
 * a foreground `up` both show it, at the pace the reader takes it: while the reader is behind, the
 * containers' streams wait (Io.drained) instead of piling lines up in memory.
 */
export function followOutput(
  handles: readonly ServiceHandle[],
  { say, drained }: Pick<Io, 'say' | 'drained'>,
  {
    tail,
    timestamps = false,
    window = {},
    ...look
  }: OutputLook & { readonly tail?: number | undefined; readonly window?: LogWindow } = {},
): FollowedOutput {
  const { names, prefix } = outputPrefixer(handles, look)
  const stops: Promise<() => void>[] = []
  const ended = handles.map(
    (handle, i) =>
      new Promise<boolean>((resolve) => {
        const write = (line: string, timestamp: string): Promise<void> | undefined => {
          say(prefix(names[i]!, timestamps ? `${timestamp} ${line}` : line))
          return drained()
        }
        stops.push(
          handle
            .follow(write, () => resolve(true), { ...window, ...(tail !== undefined && { tail }) })
            .catch(() => {
              resolve(false)
              return () => undefined
            }),
        )
      }),
  )
  return {
    names,
    ended,
    async stop() {
      for (const stop of await Promise.all(stops)) stop()
    },
  }
}

/** How containers' lines are shown: `--no-color`, `--no-log-prefix`, `--timestamps`. */
export interface OutputLook {
  /** Coloured prefixes (unless stdout is no terminal, or NO_COLOR); true by default. */
  readonly colour?: boolean
  /** `--ansi`: colours always or never, whatever stdout is (auto by default). */
  readonly ansi?: AnsiMode
  /** Each line after its container's name (`client-1  | `); true by default. */
  readonly prefixed?: boolean
  /** Each line after the time it was written, as Compose v2 shows it. */
  readonly timestamps?: boolean
  /** `up --watch`: the watch's lines, written among the containers' as Compose v2 writes them. */
  readonly watchLines?: WatchLines
}

/**
 * The lines of a watch that runs beside the containers' output (`up --watch`): each written after
 * the prefix the containers' output gives it once it knows their names (bare before, and with
 * `--no-log-prefix`).
 */
export class WatchLines {
  private prefix: (line: string) => string = (line) => line
  /** The watch has written: from then on, the containers' prefixes make room for it, as Compose v2's do. */
  written = false

  constructor(private readonly io: Pick<Io, 'say' | 'warn'>) {}

  say(line: string): void {
    this.written = true
    this.io.say(this.prefix(line))
  }

  warn(line: string): void {
    this.written = true
    this.io.warn(this.prefix(line))
  }

  prefixWith(prefix: (line: string) => string): void {
    this.prefix = prefix
  }
}

/** Each container's name as its lines are prefixed (`client-1`), and the prefixer: coloured unless `colour` is false or stdout is no terminal. */
export function outputPrefixer(
  handles: readonly ServiceHandle[],
  { colour = true, prefixed = true, ansi, watchLines }: OutputLook = {},
): { names: string[]; prefix: (name: string, line: string) => string } {
  const names = handles.map((h) => `${h.service}-${h.number}`)
  if (!prefixed) return { names, prefix: (_, line) => line }
  const coloured = colour && wantsColour(process.stdout, process.env, ansi)
  const narrow = logPrefixer(names, coloured)
  if (!watchLines) return { names, prefix: narrow }
  watchLines.prefixWith(watchPrefixer(names, coloured))
  const wide = logPrefixer(names, coloured, [WATCH_WRITER])
  return { names, prefix: (name, line) => (watchLines.written ? wide : narrow)(name, line) }
}
