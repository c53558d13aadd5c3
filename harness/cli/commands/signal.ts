import type { Compose } from '../../api/compose.js'
import { checkServiceNames } from '../../model/project/service-selection.js'
import { type OptionTable, parseOptions } from '../options.js'
import type { Command } from './command.js'

/** `kill`'s options. */
export const KILL_OPTIONS = { signal: { type: 'string', short: 's' } } as const satisfies OptionTable

/** `pause`'s and `unpause`'s: none. */
export const PAUSE_OPTIONS = {} as const satisfies OptionTable

/** `kill [-s SIGNAL] [SERVICE…]` (SIGKILL unless told), to the running containers. */
export const kill: Command = (compose, args) => signalContainers('kill', compose, args)

/** `pause [SERVICE…]`, of the running containers that are not paused. */
export const pause: Command = (compose, args) => signalContainers('pause', compose, args)

/** `unpause [SERVICE…]`, of the paused containers. */
export const unpause: Command = (compose, args) => signalContainers('unpause', compose, args)

/** The project's containers (or those of SERVICE…) that the action applies to, all at once, as faults are. */
async function signalContainers(
  command: 'kill' | 'pause' | 'unpause',
  compose: Compose,
  args: string[],
): Promise<number> {
  const { values, positionals } = parseOptions(command, args, command === 'kill' ? KILL_OPTIONS : PAUSE_OPTIONS)
  const project = await compose.attach()
  checkServiceNames(project.loaded.project, positionals)
  const handles = project.services.filter((h) => positionals.length === 0 || positionals.includes(h.service))
  // Only the containers the action applies to: running ones to kill, running unpaused ones to pause, paused ones to unpause.
  const applies = ({ Running, Paused }: { Running: boolean; Paused: boolean }): boolean =>
    command === 'unpause' ? Paused : command === 'pause' ? Running && !Paused : Running
  const states = await Promise.all(handles.map(async (h) => (await h.inspect()).State))
  const targets = handles.filter((_, i) => applies(states[i]!))
  const signal = 'signal' in values && typeof values.signal === 'string' ? values.signal : 'SIGKILL'
  await Promise.all(
    targets.map((h) => (command === 'kill' ? h.kill(signal) : command === 'pause' ? h.pause() : h.unpause())),
  )
  return 0
}
