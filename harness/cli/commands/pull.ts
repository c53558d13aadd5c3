import type { PullOutcome } from '../../runtime/images/pull-images.js'
import { type OptionTable, parseOptions } from '../options.js'
import type { Io } from '../io.js'
import type { Command } from './command.js'
import { UsageError } from '../usage-error.js'
import { PULL_POLICIES } from '../../model/fields/run-fields.js'
import type { PullPolicy } from '../../model/project/types.js'

/** `pull`'s options. */
export const PULL_OPTIONS = {
  quiet: { type: 'boolean', short: 'q' },
  'ignore-buildable': { type: 'boolean' },
  'ignore-pull-failures': { type: 'boolean' },
  'include-deps': { type: 'boolean' },
  policy: { type: 'string' },
} as const satisfies OptionTable

/** `push`'s options. */
export const PUSH_OPTIONS = {
  quiet: { type: 'boolean', short: 'q' },
  'ignore-push-failures': { type: 'boolean' },
  'include-deps': { type: 'boolean' },
} as const satisfies OptionTable

/**
 * `pull [-q] [--ignore-buildable] [--ignore-pull-failures] [--include-deps] [--policy P] [SERVICE…]`:
 * pulls the services' images, as Compose v2 does. Exits 1 when a pull fails, unless the service can
 * build its image or --ignore-pull-failures is given (then the failure is a warning).
 */
export const pull: Command = async (compose, args, io) => {
  const { values, positionals } = parseOptions('pull', args, PULL_OPTIONS)
  const { policy } = values
  if (policy !== undefined && !(PULL_POLICIES as readonly string[]).includes(policy))
    throw new UsageError(
      `pull: --policy takes missing or always (or ${PULL_POLICIES.filter((p) => p !== 'missing' && p !== 'always').join(', ')}), got ${JSON.stringify(policy)}`,
    )
  const services = compose.load().project.services
  const outcomes = await compose.pull(positionals, {
    ignoreBuildable: Boolean(values['ignore-buildable']),
    includeDeps: Boolean(values['include-deps']),
    ...(policy !== undefined && { policy: policy as PullPolicy }),
  })
  return report(outcomes, io, Boolean(values.quiet), (o) =>
    Boolean(values['ignore-pull-failures'] || services[o.service]?.build),
  )
}

/** `push [-q] [--ignore-push-failures] [--include-deps] [SERVICE…]`: pushes the images that services build and name. Exits 1 when a push fails, unless told to ignore it. */
export const push: Command = async (compose, args, io) => {
  const { values, positionals } = parseOptions('push', args, PUSH_OPTIONS)
  const outcomes = await compose.push(positionals, { includeDeps: Boolean(values['include-deps']) })
  return report(outcomes, io, Boolean(values.quiet), () => Boolean(values['ignore-push-failures']))
}

/** Says what each service's pull or push did; a failure that `tolerated` is a warning. Resolves with the exit code. */
export function report(
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
