import type { Compose } from '../../api/compose.js'
import { checkServiceNames } from '../../model/project/service-selection.js'
import { envFlag, type OptionTable, parseOptions } from '../options.js'
import type { Command } from './command.js'
import type { Io } from '../io.js'
import { showingProgress } from '../progress.js'
import { containerId, reported } from '../../runtime/engine/progress-events.js'

/** `kill`'s options. */
export const KILL_OPTIONS = {
  signal: { type: 'string', short: 's' },
  'remove-orphans': { type: 'boolean' },
} as const satisfies OptionTable

/** `pause`'s and `unpause`'s: none. */
export const PAUSE_OPTIONS = {} as const satisfies OptionTable

/**
 * `kill [-s SIGNAL] [--remove-orphans] [SERVICE…]` (SIGKILL unless told), to the running containers:
 * those of services the files no longer have only with `--remove-orphans` (or COMPOSE_REMOVE_ORPHANS),
 * which, as in Compose v2, kills them too and removes nothing.
 */
export const kill: Command = (compose, args, io) => signalContainers('kill', compose, args, io)

/** `pause [SERVICE…]`, of the running containers that are not paused. */
export const pause: Command = (compose, args, io) => signalContainers('pause', compose, args, io)

/** `unpause [SERVICE…]`, of the paused containers. */
export const unpause: Command = (compose, args, io) => signalContainers('unpause', compose, args, io)

/** The project's containers (or those of SERVICE…) that the action applies to, all at once, as faults are. */
async function signalContainers(
  command: 'kill' | 'pause' | 'unpause',
  compose: Compose,
  args: string[],
  io: Io,
): Promise<number> {
  const { values, positionals } = parseOptions(command, args, command === 'kill' ? KILL_OPTIONS : PAUSE_OPTIONS)
  const project = await compose.withServicesEnabled(...positionals).attach()
  checkServiceNames(project.loaded.project, positionals)
  const { services, byName } = project.loaded.project
  const withOrphans =
    command === 'kill' && ('remove-orphans' in values ? values['remove-orphans'] : envFlag('COMPOSE_REMOVE_ORPHANS'))
  const handles = project.services.filter(
    (h) =>
      (positionals.length === 0 || positionals.includes(h.service)) && (h.service in services || withOrphans || byName),
  )
  // Only the containers the action applies to: running ones to kill, running unpaused ones to pause, paused ones to unpause.
  const applies = ({ Running, Paused }: { Running: boolean; Paused: boolean }): boolean =>
    command === 'unpause' ? Paused : command === 'pause' ? Running && !Paused : Running
  const states = await Promise.all(handles.map(async (h) => (await h.inspect()).State))
  const targets = handles.filter((_, i) => applies(states[i]!))
  // As Compose v2 writes it: to the status stream, with no newline.
  if (command === 'kill' && targets.length === 0) io.statusText('no container to kill')
  const signal = 'signal' in values && typeof values.signal === 'string' ? values.signal : 'SIGKILL'
  // Compose v2 says `Killing` then `Killed`, and only `Paused` or `Unpaused` once done.
  await showingProgress(io, (onProgress) =>
    Promise.all(
      targets.map(async (h) => {
        const id = containerId(h.name)
        if (command === 'kill') return reported(onProgress, id, ['Killing', 'Killed'], () => h.kill(signal))
        await (command === 'pause' ? h.pause() : h.unpause())
        onProgress({ id, status: command === 'pause' ? 'Paused' : 'Unpaused', state: 'done' })
      }),
    ),
  )
  return 0
}
