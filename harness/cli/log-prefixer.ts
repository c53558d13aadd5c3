/** Prefixes each container's lines as Compose does (`client-1  | …`), coloured per container on a terminal. */
const COLOURS = [36, 33, 32, 35, 34, 96, 93, 92, 95, 94]

export function logPrefixer(names: readonly string[], colour: boolean): (name: string, line: string) => string {
  const width = Math.max(...names.map((n) => n.length))
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
