import { parseCommandArgs, UsageError } from '../args.js'
import type { Command } from './command.js'

/** `wait SERVICE…`: blocks until the services' containers have stopped; exits with the code of the first to stop. */
export const wait: Command = async (compose, args) => {
  const { positionals } = parseCommandArgs('wait', args, {})
  if (positionals.length === 0) throw new UsageError('wait: give the services to wait for, as in `wait tests`')
  return compose.wait(positionals)
}
