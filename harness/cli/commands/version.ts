import { packageVersion } from '../../runtime/engine/package-root.js'
import { formatOf, parseCommandArgs } from '../args.js'
import type { Io } from '../io.js'

/** `version [--short] [--format pretty|json]`: this CLI's version, as `docker compose version` prints its own. */
export function version(args: string[], { say }: Io): number {
  const { values } = parseCommandArgs('version', args, { short: { type: 'boolean' }, format: { type: 'string' } })
  const format = formatOf('version', values.format, ['pretty', 'json'])
  const number = packageVersion()
  if (values.short) say(number)
  else if (format === 'json') say(JSON.stringify({ version: `v${number}` }))
  else say(`compose-harness version v${number}`)
  return 0
}
