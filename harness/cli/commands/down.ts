import { envFlag, type OptionTable, parseOptions, seconds } from '../options.js'
import type { Command } from './command.js'
import { UsageError } from '../usage-error.js'
import { showingProgress } from '../progress.js'

/** `down`'s options. */
export const DOWN_OPTIONS = {
  timeout: { type: 'string', short: 't' },
  volumes: { type: 'boolean', short: 'v' },
  'remove-orphans': { type: 'boolean' },
  rmi: { type: 'string' },
} as const satisfies OptionTable

/** `down [-v] [-t SECONDS] [--rmi local|all] [--remove-orphans] [SERVICE…]` */
export const down: Command = async (compose, args, io) => {
  const { values, positionals } = parseOptions('down', args, DOWN_OPTIONS)
  const timeoutS = seconds('down', values.timeout)
  const rmi = values.rmi
  if (rmi !== undefined && rmi !== 'local' && rmi !== 'all')
    throw new UsageError(`down: --rmi takes local or all, got ${JSON.stringify(rmi)}`)
  await showingProgress(io, (onProgress) =>
    compose.down({
      ...(rmi !== undefined && { rmi }),
      volumes: Boolean(values.volumes),
      // Only `--rmi` heeds it: the harness's down removes every container of the project, orphans too.
      ...(('remove-orphans' in values ? values['remove-orphans'] : envFlag('COMPOSE_REMOVE_ORPHANS')) && {
        removeOrphans: true,
      }),
      ...(timeoutS !== undefined && { timeoutS }),
      ...(positionals.length > 0 && { services: positionals }),
      onProgress,
      // As Compose v2 warns it, in the harness's words (warnings-as-warn-lines).
      onNothingFound: (project) => io.warn(`WARN No resource found to remove for project "${project}".`),
    }),
  )
  return 0
}
