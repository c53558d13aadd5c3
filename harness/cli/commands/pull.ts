import type { PullOutcome } from '../../runtime/images/pull-images.js'
import { type OptionTable, parseOptions } from '../options.js'
import type { Io } from '../io.js'
import type { Command } from './command.js'

/** `pull`'s options. */
export const PULL_OPTIONS = {
  quiet: { type: 'boolean', short: 'q' },
  'ignore-buildable': { type: 'boolean' },
  'ignore-pull-failures': { type: 'boolean' },
} as const satisfies OptionTable

/** `push`'s options. */
export const PUSH_OPTIONS = {
  quiet: { type: 'boolean', short: 'q' },
  'ignore-push-failures': { type: 'boolean' },
} as const satisfies OptionTable

/**
 * `pull [-q] [--ignore-buildable] [--ignore-pull-failures] [SERVICE…]`: pulls the services'
 * images, as Compose v2 does. Exits 1 when a pull fails, unless the service can build its image
 * or --ignore-pull-failures is given (then the failure is a warning).
 */
export const pull: Command = async (compose, args, io) => {
  const { values, positionals } = parseOptions('pull', args, PULL_OPTIONS)
  const services = compose.load().project.services
  const outcomes = await compose.pull(positionals, { ignoreBuildable: Boolean(values['ignore-buildable']) })
  return report(outcomes, io, Boolean(values.quiet), (o) =>
    Boolean(values['ignore-pull-failures'] || services[o.service]?.build),
  )
}

/** `push [-q] [--ignore-push-failures] [SERVICE…]`: pushes the images that services build and name. Exits 1 when a push fails, unless told to ignore it. */
export const push: Command = async (compose, args, io) => {
  const { values, positionals } = parseOptions('push', args, PUSH_OPTIONS)
  const outcomes = await compose.push(positionals)
  return report(outcomes, io, Boolean(values.quiet), () => Boolean(values['ignore-push-failures']))
}

/** Says what each service's pull or push did; a failure that `tolerated` is a warning. Resolves with the exit code. */
function report(
  outcomes: readonly PullOutcome[],
  { say, warn }: Io,
  quiet: boolean,
  tolerated: (o: PullOutcome) => boolean,
): number {
  let failed = false
  for (const o of outcomes) {
    if (o.result === 'failed') {
      warn(`${tolerated(o) ? 'WARN ' : ''}${o.service}: ${o.detail}`)
      failed ||= !tolerated(o)
    } else if (!quiet) {
      const done = o.result === 'pulled' ? 'Pulled' : 'Pushed'
      say(o.result === 'skipped' ? `${o.service} Skipped: ${o.detail}` : `${o.service} ${done} (${o.image})`)
    }
  }
  return failed ? 1 : 0
}
