import { packageVersion } from '../../runtime/package-root.js'
import { parseCommandArgs, UsageError } from '../args.js'
import type { Io } from '../io.js'

/** `version [--short] [--format pretty|json]`: this CLI's version, as `docker compose version` prints its own. */
export function version(args: string[], { say }: Io): number {
  const { values } = parseCommandArgs('version', args, { short: { type: 'boolean' }, format: { type: 'string' } })
  const number = packageVersion()
  if (values.short) say(number)
  else if (values.format === 'json') say(JSON.stringify({ version: `v${number}` }))
  else if (values.format === undefined || values.format === 'pretty') say(`compose-harness version v${number}`)
  else throw new UsageError(`version: --format is pretty or json, got ${values.format}`)
  return 0
}
