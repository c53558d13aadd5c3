import { type OptionTable, parseOptions, seconds } from '../options.js'
import type { Command } from './command.js'
import { showingProgress } from '../progress.js'

/** `stop`'s and `restart`'s options. */
export const STOP_OPTIONS = { timeout: { type: 'string', short: 't' } } as const satisfies OptionTable

/** `restart`'s: stop's, and `--no-deps`. */
export const RESTART_OPTIONS = { ...STOP_OPTIONS, 'no-deps': { type: 'boolean' } } as const satisfies OptionTable

/** `stop [-t SECONDS] [SERVICE…]`: dependents first, keeping the containers. */
export const stop: Command = async (compose, args, io) => {
  const options = stopOptions('stop', args)
  await showingProgress(io, (onProgress) => compose.stop({ ...options, onProgress }))
  return 0
}

/** `restart [-t SECONDS] [--no-deps] [SERVICE…]`, with the `restart: true` dependents of what it restarts unless `--no-deps`. */
export const restart: Command = async (compose, args, io) => {
  const { values, positionals } = parseOptions('restart', args, RESTART_OPTIONS)
  const timeoutS = seconds('restart', values.timeout)
  await showingProgress(io, (onProgress) =>
    compose.restart({
      ...(positionals.length > 0 && { services: positionals }),
      ...(timeoutS !== undefined && { timeoutS }),
      ...(values['no-deps'] && { noDeps: true }),
      onProgress,
    }),
  )
  return 0
}

function stopOptions(command: 'stop', args: string[]): { services?: string[]; timeoutS?: number } {
  const { values, positionals } = parseOptions(command, args, STOP_OPTIONS)
  const timeoutS = seconds(command, values.timeout)
  return { ...(positionals.length > 0 && { services: positionals }), ...(timeoutS !== undefined && { timeoutS }) }
}
