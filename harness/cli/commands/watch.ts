import type { Compose } from '../../api/compose.js'
import type { StartedCompose } from '../../api/started-compose.js'
import { checkServiceNames } from '../../model/project/service-selection.js'
import { type OptionTable, parseOptions } from '../options.js'
import { progressOf, progressPrinter } from '../progress.js'
import type { Io } from '../io.js'
import type { Command } from './command.js'

/** `watch`'s options. */
export const WATCH_OPTIONS = {
  'no-up': { type: 'boolean' },
  prune: { type: 'boolean' },
  quiet: { type: 'boolean' },
} as const satisfies OptionTable

/**
 * `watch [--no-up] [--prune=false] [--quiet] [SERVICE…]`: brings the services up (as `up -d` does,
 * their images built anew where they have a `develop` section), then runs their `develop.watch`
 * rules on changes of their files until Ctrl+C, as Compose v2 does. The containers keep running.
 */
export const watch: Command = async (compose, args, io) => {
  const { values, positionals } = parseOptions('watch', args, WATCH_OPTIONS)
  const named = compose.withServicesEnabled(...positionals)
  checkServiceNames(named.load().project, positionals)
  const started = values['no-up'] ? await named.attach() : await bringUp(named, positionals, io, values.quiet)
  await watchUntilInterrupted(started, positionals, io, values.prune !== false)
  return 0
}

/** `up -d` of the services for `watch`: those with a `build` and a `develop` section are built anew. */
async function bringUp(
  compose: Compose,
  services: readonly string[],
  io: Io,
  quiet: boolean | undefined,
): Promise<StartedCompose> {
  const { project } = compose.load()
  const developed = Object.values(project.services).some(
    (s) => s.build && s.extras.develop !== undefined && (services.length === 0 || services.includes(s.name)),
  )
  const progress = quiet ? progressPrinter(io.status, 'quiet') : progressOf(io)
  return compose
    .up({
      ...(services.length > 0 && { services }),
      build: developed ? 'always' : 'missing',
      recreateDependencies: 'never',
      waitHealthy: false,
      reap: false,
      keepOnFailure: true,
      crashRemovesVolumes: false,
      reuse: false,
      onBuild: progress.build,
      onProgress: progress.step,
      onWarning: (w) => io.warn(`WARN ${w}`),
    })
    .finally(progress.done)
}

/** Runs the watch, its words on the output, until Ctrl+C or SIGTERM. */
export async function watchUntilInterrupted(
  started: StartedCompose,
  services: readonly string[],
  io: Io,
  prune = true,
  until: Promise<unknown> = new Promise((resolve) => process.once('SIGINT', resolve).once('SIGTERM', resolve)),
): Promise<void> {
  const running = await started.watch({
    ...(services.length > 0 && { services }),
    prune,
    onLog: (line) => (line.startsWith('WARN ') ? io.warn(line) : io.say(line)),
    output: process.stdout,
  })
  await until
  await running.stop()
}
