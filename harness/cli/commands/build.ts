import { parseCommandArgs } from '../args.js'
import { progressPrinter } from '../progress.js'
import type { Command } from './command.js'

/** `build`: every image the project builds, whether or not it exists. */
export const build: Command = async (compose, args, { say }) => {
  parseCommandArgs('build', args, {})
  await compose.build('always', progressPrinter(say).build)
  return 0
}
