import { parseCommandArgs } from '../args.js'
import type { Command } from './command.js'

/**
 * `pull [-q] [--ignore-buildable] [--ignore-pull-failures] [SERVICE…]`: pulls the services'
 * images, as Compose v2 does. Exits 1 when a pull fails, unless the service can build its image
 * or --ignore-pull-failures is given (then the failure is a warning).
 */
export const pull: Command = async (compose, args, { say, warn }) => {
  const { values, positionals } = parseCommandArgs('pull', args, {
    quiet: { type: 'boolean', short: 'q' },
    'ignore-buildable': { type: 'boolean' },
    'ignore-pull-failures': { type: 'boolean' },
  })
  const services = compose.load().project.services
  let failed = false
  for (const o of await compose.pull(positionals, { ignoreBuildable: Boolean(values['ignore-buildable']) })) {
    if (o.result === 'pulled') {
      if (!values.quiet) say(`${o.service} Pulled (${o.image})`)
    } else if (o.result === 'skipped') {
      if (!values.quiet) say(`${o.service} Skipped: ${o.detail}`)
    } else if (values['ignore-pull-failures'] || services[o.service]?.build) {
      warn(`WARN ${o.service}: ${o.detail}`)
    } else {
      warn(`${o.service}: ${o.detail}`)
      failed = true
    }
  }
  return failed ? 1 : 0
}
