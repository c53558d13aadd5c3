import { type OptionTable, parseOptions } from '../options.js'
import { UsageError } from '../usage-error.js'
import type { Command } from './command.js'

/** `wait`'s options. */
export const WAIT_OPTIONS = { 'down-project': { type: 'boolean' } } as const satisfies OptionTable

/** `wait [--down-project] SERVICE…`: blocks until a container of the services has stopped; exits with its code. */
export const wait: Command = async (compose, args) => {
  const { values, positionals } = parseOptions('wait', args, WAIT_OPTIONS)
  if (positionals.length === 0) throw new UsageError('wait: give the services to wait for, as in `wait tests`')
  const code = await compose.wait(positionals)
  // --down-project: the project goes once the first of them has stopped, as `down` takes it away.
  if (values['down-project']) await compose.down()
  return code
}
