import { Compose } from '../../api/compose.js'
import { formatOf, type OptionTable, parseOptions } from '../options.js'
import type { AloneCommand } from './command.js'
import { table } from './table.js'

/** `ls`'s options. */
export const LS_OPTIONS = {
  all: { type: 'boolean', short: 'a' },
  quiet: { type: 'boolean', short: 'q' },
  format: { type: 'string' },
} as const satisfies OptionTable

/** `ls [-a] [-q] [--format table|json]`: the projects on the engine, whichever tool brought them up. */
export const ls: AloneCommand = async (_globals, args, { say }) => {
  const { values } = parseOptions('ls', args, LS_OPTIONS)
  const format = formatOf('ls', values.format, ['table', 'json'])
  const projects = await Compose.projects({ all: Boolean(values.all) })
  if (values.quiet) projects.forEach((p) => say(p.name))
  else if (format === 'json')
    say(JSON.stringify(projects.map((p) => ({ Name: p.name, Status: p.status, ConfigFiles: p.configFiles }))))
  else
    table([['NAME', 'STATUS', 'CONFIG FILES'], ...projects.map((p) => [p.name, p.status, p.configFiles])]).forEach(
      (line) => say(line),
    )
  return 0
}
