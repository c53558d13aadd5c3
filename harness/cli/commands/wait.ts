import { type OptionTable, parseOptions } from '../options.js'
import { UsageError } from '../usage-error.js'
import type { Command } from './command.js'

/** `wait`'s options. */
export const WAIT_OPTIONS = {} as const satisfies OptionTable

/** `wait SERVICE…`: blocks until the services' containers have stopped; exits with the code of the first to stop. */
export const wait: Command = async (compose, args) => {
  const { positionals } = parseOptions('wait', args, WAIT_OPTIONS)
  if (positionals.length === 0) throw new UsageError('wait: give the services to wait for, as in `wait tests`')
  return compose.wait(positionals)
}
