import { parseCommandArgs } from '../args.js'
import { progressPrinter } from '../progress.js'
import type { Command } from './command.js'

/** `build`: every image the project builds, whether or not it exists. */
export const build: Command = async (compose, args, { say, progress: mode }) => {
  parseCommandArgs('build', args, {})
  const progress = progressPrinter(say, mode)
  await compose.build('always', progress.build).finally(progress.done)
  return 0
}
