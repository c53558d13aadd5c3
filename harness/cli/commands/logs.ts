import { checkServiceNames } from '../../model/project/service-selection.js'
import { type OptionTable, parseOptions } from '../options.js'
import { UsageError } from '../usage-error.js'
import { parseDuration } from '../../model/document/duration.js'
import { containerIndex } from '../container-of.js'
import { followOutput, outputPrefixer } from '../follow-output.js'
import type { Command } from './command.js'

/** `logs`'s options. */
export const LOGS_OPTIONS = {
  follow: { type: 'boolean', short: 'f' },
  tail: { type: 'string', short: 'n' },
  'no-color': { type: 'boolean' },
  timestamps: { type: 'boolean', short: 't' },
  'no-log-prefix': { type: 'boolean' },
  since: { type: 'string' },
  until: { type: 'string' },
  index: { type: 'string' },
} as const satisfies OptionTable

/** `logs [-f] [-t] [--tail N] [--since T] [--until T] [--index N] [--no-color] [--no-log-prefix] [SERVICE…]` */
export const logs: Command = async (compose, args, io) => {
  const { values, positionals } = parseOptions('logs', args, LOGS_OPTIONS)
  const timestamps = Boolean(values.timestamps)
  const tail = values.tail === undefined || values.tail === 'all' ? undefined : Number(values.tail)
  if (tail !== undefined && !(Number.isInteger(tail) && tail >= 0))
    throw new UsageError(`logs: --tail takes a number of lines or "all", got ${values.tail}`)
  const look = { colour: !values['no-color'], prefixed: !values['no-log-prefix'], ...(io.ansi && { ansi: io.ansi }) }
  const now = Date.now()
  const window = {
    ...(values.since !== undefined && { since: logTime('--since', values.since, now) }),
    ...(values.until !== undefined && { until: logTime('--until', values.until, now) }),
  }
  const index = containerIndex('logs', values.index) || undefined
  // A service named runs whatever its profiles, as in Compose v2 (Compose.withServicesEnabled).
  const project = await compose.withServicesEnabled(...positionals).attach()
  checkServiceNames(project.loaded.project, positionals)
  const handles = project.services.filter(
    (h) => (positionals.length === 0 || positionals.includes(h.service)) && (index === undefined || h.number === index),
  )
  if (!values.follow) {
    const { names, prefix } = outputPrefixer(handles, look)
    for (const [i, h] of handles.entries())
      for (const line of await h.logs(tail, { timestamps, ...window })) io.say(prefix(names[i]!, line))
    return 0
  }
  const output = followOutput(handles, io, { ...look, tail, timestamps, window })
  await Promise.race([
    Promise.all(output.ended),
    io.readerGone,
    new Promise((interrupted) => process.once('SIGINT', interrupted)),
  ])
  await output.stop()
  return 0
}

/**
 * `--since`/`--until` as the docker CLI reads them: a duration back from now (`42m`, `1h30m`), a
 * Unix time in seconds, or a date and time (`2013-01-02T13:23:37Z`, `2013-01-02`); the engine's form,
 * seconds since the epoch.
 */
export function logTime(flag: string, value: string, now: number): string {
  if (/^\d+(\.\d+)?$/.test(value)) return value
  const ago = parseDuration(value)
  if (ago !== undefined) return ((now - ago) / 1000).toFixed(3)
  const at = Date.parse(value)
  if (Number.isNaN(at))
    throw new UsageError(`logs: ${flag} takes a duration (42m), a Unix time or a date, got ${value}`)
  return (at / 1000).toFixed(3)
}
