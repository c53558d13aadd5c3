import { containerIndex, containerOf } from '../container-of.js'
import { type OptionTable, parseOptions } from '../options.js'
import { showingProgress } from '../progress.js'
import { UsageError } from '../usage-error.js'
import type { Command } from './command.js'

/** `commit`'s options. */
export const COMMIT_OPTIONS = {
  author: { type: 'string', short: 'a' },
  change: { type: 'string', short: 'c', multiple: true },
  index: { type: 'string' },
  message: { type: 'string', short: 'm' },
  pause: { type: 'boolean', short: 'p' },
} as const satisfies OptionTable

/**
 * `commit [OPTIONS] SERVICE [REPOSITORY[:TAG]]`: a new image from a container's changes, as
 * Compose v2 makes it (paused meanwhile unless `--pause=false`), said as v2 says it.
 */
export const commit: Command = async (compose, args, io) => {
  const { values, positionals } = parseOptions('commit', args, COMMIT_OPTIONS)
  if (positionals.length < 1 || positionals.length > 2)
    throw new UsageError(`commit: takes SERVICE [REPOSITORY[:TAG]], got ${positionals.length} argument(s)`)
  const [service, reference] = positionals as [string, string | undefined]
  const handle = await containerOf(compose, service, containerIndex('commit', values.index))
  await showingProgress(io, async (onProgress) => {
    const step = { id: handle.name, text: `Commit ${handle.name}` }
    onProgress({ ...step, status: 'Committing', state: 'working' })
    const id = await handle.commit({
      ...(reference !== undefined && { reference }),
      ...(values.author !== undefined && { author: values.author }),
      ...(values.message !== undefined && { message: values.message }),
      changes: values.change ?? [],
      pause: values.pause ?? true,
    })
    onProgress({ ...step, status: `Committed as ${id}`, state: 'done' })
  })
  return 0
}
