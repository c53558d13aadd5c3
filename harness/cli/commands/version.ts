import { packageVersion } from '../../runtime/engine/package-root.js'
import { formatOf, type OptionTable, parseOptions } from '../options.js'
import type { AloneCommand } from './command.js'
import { UsageError } from '../usage-error.js'

/** `version`'s options. */
export const VERSION_OPTIONS = { short: { type: 'boolean' }, format: { type: 'string' } } as const satisfies OptionTable

/** `version [--short] [--format pretty|json]`: this CLI's version, as `docker compose version` prints its own. */
export const version: AloneCommand = async (_globals, args, { say }) => {
  const { values, positionals } = parseOptions('version', args, VERSION_OPTIONS)
  // `-v ps` is `version ps`, as standalone Compose v2 reads it: a word after it is refused, as there.
  if (positionals.length > 0) throw new UsageError(`unknown command "${positionals[0]}" for "compose-harness version"`)
  const format = formatOf('version', values.format, ['pretty', 'json'])
  const number = packageVersion()
  if (values.short) say(number)
  else if (format === 'json') say(JSON.stringify({ version: `v${number}` }))
  else say(`compose-harness version v${number}`)
  return 0
}
