import { isSwitchedOn } from '../model/document/values.js'
import type { Io } from './io.js'

/**
 * Whether a foreground `up` shows its menu of shortcuts, as Compose v2 decides: only with its
 * output and its input on a terminal and a progress that is not plain; then `--menu` (or
 * `--menu=false`) when given, else COMPOSE_MENU when set, else yes.
 */
export function menuWanted(
  flag: boolean | undefined,
  io: Pick<Io, 'progress'>,
  env: NodeJS.ProcessEnv,
  streams: { readonly stdin: { isTTY?: boolean }; readonly stdout: { isTTY?: boolean } },
): boolean {
  if (!streams.stdout.isTTY || !streams.stdin.isTTY || io.progress === 'plain') return false
  return flag ?? (env.COMPOSE_MENU === undefined ? true : isSwitchedOn(env.COMPOSE_MENU))
}

/** Pure: the menu's line, as Compose v2 draws it without Docker Desktop: `w Enable Watch` (or `Disable`). */
export function menuLine(watching: boolean, colour: boolean): string {
  const paint = (code: string, text: string) => (colour ? `\x1b[${code}m${text}\x1b[0m` : text)
  return `${paint('1', 'w')}${paint('2', watching ? ' Disable Watch' : ' Enable Watch')}`
}

/** The menu of a foreground `up`: the output it wraps, and its end. */
export interface NavigationMenu {
  /** `io` with every line written above the menu, which stays the terminal's last line. */
  readonly io: Io
  /** Gives the terminal back: the menu cleared, the input no longer raw. */
  close(): void
}

/**
 * Compose v2's menu at the foot of a foreground `up` on a terminal: `w` starts the `develop.watch`
 * rules (and stops them again), Ctrl+C stops the run as the signal would (the input is raw, so the
 * terminal sends it as a key). `toggleWatch` resolves with whether the rules now run.
 */
export function startNavigationMenu(
  io: Io,
  toggleWatch: () => Promise<boolean>,
  colour: boolean,
  stdin: NodeJS.ReadStream = process.stdin,
  stdout: NodeJS.WriteStream = process.stdout,
): NavigationMenu {
  let watching = false
  const clear = () => stdout.write('\r\x1b[2K')
  const draw = () => stdout.write(`\r\x1b[2K${menuLine(watching, colour)}`)
  const above =
    (write: (line: string) => void) =>
    (line: string): void => {
      clear()
      write(line)
      draw()
    }
  const onKey = (key: string): void => {
    if (key.includes('\x03')) process.emit('SIGINT')
    else if (key.includes('w'))
      void toggleWatch().then(
        (now) => {
          watching = now
          draw()
        },
        (error: unknown) => above(io.warn)(`WARN watch: ${(error as Error).message}`),
      )
  }
  stdin.setRawMode?.(true)
  stdin.setEncoding('utf8').on('data', onKey).resume()
  draw()
  return {
    io: { ...io, say: above(io.say), warn: above(io.warn), status: above(io.status) },
    close() {
      stdin.off('data', onKey).pause()
      stdin.setRawMode?.(false)
      clear()
    },
  }
}
