import { type OptionTable, parseOptions, seconds } from '../options.js'
import type { Command } from './command.js'

/** `down`'s options. */
export const DOWN_OPTIONS = {
  timeout: { type: 'string', short: 't' },
  volumes: { type: 'boolean', short: 'v' },
  'remove-orphans': { type: 'boolean' },
} as const satisfies OptionTable

/** `down [-v] [-t SECONDS] [--remove-orphans] [SERVICE…]` */
export const down: Command = async (compose, args) => {
  const { values, positionals } = parseOptions('down', args, DOWN_OPTIONS)
  const timeoutS = seconds('down', values.timeout)
  await compose.down({
    volumes: Boolean(values.volumes),
    ...(timeoutS !== undefined && { timeoutS }),
    ...(positionals.length > 0 && { services: positionals }),
  })
  return 0
}
