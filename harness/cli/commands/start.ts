import { parseCommandArgs } from '../args.js'
import type { Command } from './command.js'

/** `start [SERVICE…]`: stopped containers, each after what it depends on. */
export const start: Command = async (compose, args) => {
  const { positionals } = parseCommandArgs('start', args, {})
  await compose.start(positionals.length > 0 ? { services: positionals } : {})
  return 0
}
