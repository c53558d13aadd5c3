/** Prefixes each container's lines as Compose does (`client-1  | …`), coloured per container on a terminal. */
const COLOURS = [36, 33, 32, 35, 34, 96, 93, 92, 95, 94]

export function logPrefixer(
  names: readonly string[],
  colour: boolean,
  /** Names of other writers among the containers (v2's `#watch`), as wide as the prefixes must be for them too. */
  others: readonly string[] = [],
): (name: string, line: string) => string {
  const width = Math.max(...[...names, ...others].map((n) => n.length))
  const prefixes = new Map(
    names.map((name, i) => {
      const text = `${name.padEnd(width)}  | `
      return [name, colour ? `\x1b[${COLOURS[i % COLOURS.length]}m${text}\x1b[0m` : text]
    }),
  )
  return (name, line) => `${prefixes.get(name) ?? `${name} | `}${line}`
}

/** `--ansi`: whether colours and the live view are used, `auto` deciding by the stream (a terminal) and NO_COLOR. */
export type AnsiMode = 'never' | 'always' | 'auto'

/** Whether to colour what goes to `stream`: as `--ansi` says, else (auto) only on a terminal, and never under NO_COLOR. */
export function wantsColour(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv, ansi: AnsiMode = 'auto'): boolean {
  if (ansi !== 'auto') return ansi === 'always'
  return Boolean(stream.isTTY) && !env.NO_COLOR
}

/** The name Compose v2 gives the watch's writer among the containers' (`up --watch`). */
export const WATCH_WRITER = '#watch'

/**
 * The prefix of a line of the watch's among the containers' (`up --watch`), as Compose v2 writes
 * it: as wide as the containers' prefixes, with ` ⦿ ` in place of the name and the bar, green on
 * a terminal.
 */
export function watchPrefixer(names: readonly string[], colour: boolean): (line: string) => string {
  const width = Math.max(...[...names, WATCH_WRITER].map((n) => n.length))
  const text = `${' '.repeat(width + 1)} ⦿ `
  const prefix = colour ? `\x1b[92m${text}\x1b[0m` : text
  return (line) => `${prefix}${line}`
}
