import { type OptionTable, parseOptions } from '../options.js'
import { UsageError } from '../usage-error.js'
import { containerIndex, containerOf } from '../container-of.js'
import type { Command } from './command.js'

/** `cp`'s options. */
export const CP_OPTIONS = {
  index: { type: 'string' },
  archive: { type: 'boolean', short: 'a' },
  'follow-link': { type: 'boolean', short: 'L' },
  all: { type: 'boolean' },
} as const satisfies OptionTable

/** `SERVICE:PATH` → its parts; a plain path (or `-`) → undefined. */
function inContainer(operand: string): { readonly service: string; readonly path: string } | undefined {
  const m = /^([a-zA-Z0-9._-]+):(.*)$/.exec(operand)
  return m ? { service: m[1]!, path: m[2]! } : undefined
}

/**
 * `cp [--index N] SERVICE:SRC DEST|-` and `cp [--index N] [--all] SRC|- SERVICE:DEST`: copies files
 * between a service's container and this machine, as `docker compose cp` does (`-` is a tar
 * archive on standard output or input): from its container number N (its lowest by default); to
 * every one of its containers unless --index names one, and to its one-off containers too with
 * --all.
 */
export const cp: Command = async (compose, args) => {
  const { values, positionals } = parseOptions('cp', args, CP_OPTIONS)
  const [from, to, ...extra] = positionals
  if (from === undefined || to === undefined || extra.length > 0)
    throw new UsageError('cp: give a source and a destination, one of them SERVICE:PATH')
  const source = inContainer(from)
  const destination = inContainer(to)
  if (Boolean(source) === Boolean(destination))
    throw new UsageError('cp: exactly one of the source and the destination must be SERVICE:PATH')
  const index = containerIndex('cp', values.index)
  if (source) {
    const handle = await containerOf(compose, source.service, index, { all: true })
    await handle.copyFrom(source.path, to === '-' ? process.stdout : to)
  } else {
    // An archive on the input is read once, for every container it goes to.
    const archive = from === '-' ? await readAll(process.stdin) : from
    await compose.copyTo(destination!.service, archive, destination!.path, {
      ...(index > 0 && { index }),
      oneOffs: Boolean(values.all),
    })
  }
  return 0
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk))
  return Buffer.concat(chunks)
}
