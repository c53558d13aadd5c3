import { checkServiceNames } from '../../model/project/service-selection.js'
import { type OptionTable, parseOptions } from '../options.js'
import { UsageError } from '../usage-error.js'
import { followOutput, outputPrefixer } from '../follow-output.js'
import type { Command } from './command.js'

/** `logs`'s options. */
export const LOGS_OPTIONS = {
  follow: { type: 'boolean', short: 'f' },
  tail: { type: 'string', short: 'n' },
  'no-color': { type: 'boolean' },
  timestamps: { type: 'boolean', short: 't' },
  'no-log-prefix': { type: 'boolean' },
} as const satisfies OptionTable

/** `logs [-f] [-t] [--tail N] [--no-color] [--no-log-prefix] [SERVICE…]` */
export const logs: Command = async (compose, args, io) => {
  const { values, positionals } = parseOptions('logs', args, LOGS_OPTIONS)
  const timestamps = Boolean(values.timestamps)
  const tail = values.tail === undefined || values.tail === 'all' ? undefined : Number(values.tail)
  if (tail !== undefined && !(Number.isInteger(tail) && tail >= 0))
    throw new UsageError(`logs: --tail takes a number of lines or "all", got ${values.tail}`)
  const look = { colour: !values['no-color'], prefixed: !values['no-log-prefix'] }
  const project = await compose.attach()
  checkServiceNames(project.loaded.project, positionals)
  const handles = project.services.filter((h) => positionals.length === 0 || positionals.includes(h.service))
  if (!values.follow) {
    const { names, prefix } = outputPrefixer(handles, look)
    for (const [i, h] of handles.entries())
      for (const line of await h.logs(tail, { timestamps })) io.say(prefix(names[i]!, line))
    return 0
  }
  const output = followOutput(handles, io, { ...look, tail, timestamps })
  await Promise.race([
    Promise.all(output.ended),
    io.readerGone,
    new Promise((interrupted) => process.once('SIGINT', interrupted)),
  ])
  await output.stop()
  return 0
}
