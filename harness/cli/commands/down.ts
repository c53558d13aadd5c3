import { parseCommandArgs, seconds } from '../args.js'
import type { Command } from './command.js'

/** `down [-v] [-t SECONDS] [--remove-orphans] [SERVICE…]` */
export const down: Command = async (compose, args) => {
  const { values, positionals } = parseCommandArgs('down', args, {
    timeout: { type: 'string', short: 't' },
    volumes: { type: 'boolean', short: 'v' },
    'remove-orphans': { type: 'boolean' },
  })
  const timeoutS = seconds('down', values.timeout)
  await compose.down({
    volumes: Boolean(values.volumes),
    ...(timeoutS !== undefined && { timeoutS }),
    ...(positionals.length > 0 && { services: positionals }),
  })
  return 0
}
