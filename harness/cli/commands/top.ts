import { type OptionTable, parseOptions } from '../options.js'
import type { Command } from './command.js'
import { table } from './table.js'

/** `top`'s options. */
export const TOP_OPTIONS = {} as const satisfies OptionTable

/** `top [SERVICE…]`: the processes of each running container, as the engine lists them. */
export const top: Command = async (compose, args, { say }) => {
  const { positionals } = parseOptions('top', args, TOP_OPTIONS)
  for (const { container, titles, processes } of await compose.top(positionals)) {
    say(container)
    table([titles, ...processes]).forEach((line) => say(line))
    say('')
  }
  return 0
}
