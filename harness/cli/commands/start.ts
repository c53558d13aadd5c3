import { type OptionTable, parseOptions } from '../options.js'
import type { Command } from './command.js'
import { showingProgress } from '../progress.js'

/** `start`'s options. */
export const START_OPTIONS = {} as const satisfies OptionTable

/** `start [SERVICE…]`: stopped containers, each after what it depends on. */
export const start: Command = async (compose, args, io) => {
  const { positionals } = parseOptions('start', args, START_OPTIONS)
  await showingProgress(io, (onProgress) =>
    compose.start({ ...(positionals.length > 0 && { services: positionals }), onProgress }),
  )
  return 0
}
