import { containerIndex, containerOf } from '../container-of.js'
import { type OptionTable, parseOptions } from '../options.js'
import { UsageError } from '../usage-error.js'
import type { Command } from './command.js'

/** `attach`'s options. */
export const ATTACH_OPTIONS = {
  'detach-keys': { type: 'string' },
  index: { type: 'string' },
  'no-stdin': { type: 'boolean' },
  'sig-proxy': { type: 'boolean' },
} as const satisfies OptionTable

/**
 * `attach [--index N] [--no-stdin] [--sig-proxy=false] SERVICE`: this terminal's input and output
 * to a running container of the service, as `docker compose attach` does, until it stops; exits
 * with its code. Ctrl+C is passed on to the container unless `--sig-proxy=false`.
 */
export const attach: Command = async (compose, args) => {
  const { values, positionals } = parseOptions('attach', args, ATTACH_OPTIONS)
  if (positionals.length !== 1) throw new UsageError(`attach: takes one SERVICE, got ${positionals.length}`)
  const handle = await containerOf(compose, positionals[0]!, containerIndex('attach', values.index))
  const forward = (signal: NodeJS.Signals) => (): void => void handle.kill(signal).catch(() => {})
  const proxy = values['sig-proxy'] ?? true
  const onInt = forward('SIGINT')
  const onTerm = forward('SIGTERM')
  if (proxy) process.on('SIGINT', onInt).on('SIGTERM', onTerm)
  try {
    return await handle.attach({
      stdout: process.stdout,
      stderr: process.stderr,
      ...(!values['no-stdin'] && { stdin: process.stdin }),
    })
  } finally {
    process.off('SIGINT', onInt).off('SIGTERM', onTerm)
    process.stdin.pause()
  }
}
