import type { PullOutcome } from '../../runtime/images/pull-images.js'
import { type OptionTable, parseOptions } from '../options.js'
import type { Io } from '../io.js'
import type { Command } from './command.js'
import { showingProgress } from '../progress.js'
import type { OnProgress } from '../../runtime/engine/progress-events.js'
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
  const outcomes = await shownUnless(Boolean(values.quiet), io, (onProgress) =>
    compose.pull(positionals, {
      ignoreBuildable: Boolean(values['ignore-buildable']),
      includeDeps: Boolean(values['include-deps']),
      ...(policy !== undefined && { policy: policy as PullPolicy }),
      ...(onProgress && { onProgress }),
    }),
  )
  return report(outcomes, io, (o) => Boolean(values['ignore-pull-failures'] || services[o.service]?.build))
}

/** `push [-q] [--ignore-push-failures] [--include-deps] [SERVICE…]`: pushes the images that services build and name. Exits 1 when a push fails, unless told to ignore it. */
export const push: Command = async (compose, args, io) => {
  const { values, positionals } = parseOptions('push', args, PUSH_OPTIONS)
  const outcomes = await shownUnless(Boolean(values.quiet), io, (onProgress) =>
    compose.push(positionals, { includeDeps: Boolean(values['include-deps']), ...(onProgress && { onProgress }) }),
  )
  return report(outcomes, io, () => Boolean(values['ignore-push-failures']))
}

/** Runs a pull or a push with its progress shown as Compose v2 shows it, on standard error; with `-q`, nothing shown. */
function shownUnless<T>(quiet: boolean, io: Io, work: (onProgress?: OnProgress) => Promise<T>): Promise<T> {
  return quiet ? work() : showingProgress(io, work)
}

/**
 * Says why each failed pull or push failed (the progress has shown the rest, as v2 shows it); a
 * failure that `tolerated` is a warning. Resolves with the exit code.
 */
export function report(outcomes: readonly PullOutcome[], { warn }: Io, tolerated: (o: PullOutcome) => boolean): number {
  let failed = false
  for (const o of outcomes.filter((o) => o.result === 'failed')) {
    warn(`${tolerated(o) ? 'WARN ' : ''}${o.service}: ${o.detail}`)
    failed ||= !tolerated(o)
  }
  return failed ? 1 : 0
}
