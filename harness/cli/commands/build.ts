import { type OptionTable, parseOptions } from '../options.js'
import { UsageError } from '../usage-error.js'
import { progressOf } from '../progress.js'
import type { Command } from './command.js'

/** `build`'s options. */
export const BUILD_OPTIONS = {
  'no-cache': { type: 'boolean' },
  pull: { type: 'boolean' },
  'build-arg': { type: 'string', multiple: true },
} as const satisfies OptionTable

/** `build [--no-cache] [--pull] [--build-arg KEY=VALUE]… [SERVICE…]`: the images, whether or not they exist. */
export const build: Command = async (compose, args, io) => {
  const { values, positionals } = parseOptions('build', args, BUILD_OPTIONS)
  const buildArgs = Object.fromEntries(
    (values['build-arg'] ?? []).map((entry) => {
      const at = entry.indexOf('=')
      if (at <= 0) throw new UsageError(`build: --build-arg takes KEY=VALUE, got ${entry}`)
      return [entry.slice(0, at), entry.slice(at + 1)]
    }),
  )
  const progress = progressOf(io)
  await compose
    .build('always', progress.build, {
      services: positionals,
      noCache: Boolean(values['no-cache']),
      pull: Boolean(values.pull),
      buildArgs,
    })
    .finally(progress.done)
  return 0
}
