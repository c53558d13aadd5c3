import { type OptionTable, parseOptions } from '../options.js'
import type { Command } from './command.js'

/** `start`'s options. */
export const START_OPTIONS = {} as const satisfies OptionTable

/** `start [SERVICE…]`: stopped containers, each after what it depends on. */
export const start: Command = async (compose, args) => {
  const { positionals } = parseOptions('start', args, START_OPTIONS)
  await compose.start(positionals.length > 0 ? { services: positionals } : {})
  return 0
}
