import { once } from 'node:events'
import { createWriteStream } from 'node:fs'
import { pipeline } from 'node:stream/promises'
import { containerIndex, containerOf } from '../container-of.js'
import { type OptionTable, parseOptions } from '../options.js'
import { showingProgress } from '../progress.js'
import { UsageError } from '../usage-error.js'
import type { Command } from './command.js'

/** `export`'s options. */
export const EXPORT_OPTIONS = {
  index: { type: 'string' },
  output: { type: 'string', short: 'o' },
} as const satisfies OptionTable

/**
 * `export [--index N] [-o FILE] SERVICE`: a container's filesystem as a tar archive, to FILE or to
 * standard output (never to a terminal), as Compose v2 writes it.
 */
export const exportCommand: Command = async (compose, args, io) => {
  const { values, positionals } = parseOptions('export', args, EXPORT_OPTIONS)
  if (positionals.length !== 1) throw new UsageError(`export: takes one SERVICE, got ${positionals.length}`)
  const output = values.output
  if (output === undefined && process.stdout.isTTY)
    throw new UsageError('export: output option is required when exporting to terminal')
  const handle = await containerOf(compose, positionals[0]!, containerIndex('export', values.index))
  await showingProgress(io, async (onProgress) => {
    // Compose 2.40 says `Exporting` and, having written the archive, nothing more.
    onProgress({
      id: handle.name,
      text: `export ${handle.name} to ${output ?? ''}`,
      status: 'Exporting',
      state: 'working',
    })
    const archive = await handle.export()
    if (output !== undefined) return pipeline(archive, createWriteStream(output, { mode: 0o600 }))
    // Standard output is this process's to keep open: written to, never ended.
    for await (const chunk of archive) if (!process.stdout.write(chunk)) await once(process.stdout, 'drain')
  })
  return 0
}
