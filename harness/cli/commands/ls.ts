import { Compose } from '../../api/compose.js'
import { HarnessError } from '../../errors.js'
import { keyValueOf, formatOf, type OptionTable, parseOptions } from '../options.js'
import type { AloneCommand } from './command.js'
import { table } from './table.js'

/** `ls`'s options. */
export const LS_OPTIONS = {
  all: { type: 'boolean', short: 'a' },
  quiet: { type: 'boolean', short: 'q' },
  format: { type: 'string' },
  filter: { type: 'string', multiple: true },
} as const satisfies OptionTable

/** `ls [-a] [-q] [--filter name=PATTERN] [--format table|json]`: the projects on the engine, whichever tool brought them up. */
export const ls: AloneCommand = async (_globals, args, { say }) => {
  const { values } = parseOptions('ls', args, LS_OPTIONS)
  const format = formatOf('ls', values.format, ['table', 'json'])
  const names = (values.filter ?? []).map(nameFilter)
  const projects = (await Compose.projects({ all: Boolean(values.all) })).filter((p) =>
    names.every((pattern) => pattern.test(p.name)),
  )
  if (values.quiet) projects.forEach((p) => say(p.name))
  else if (format === 'json')
    say(JSON.stringify(projects.map((p) => ({ Name: p.name, Status: p.status, ConfigFiles: p.configFiles }))))
  else
    // Compose v2's ls writes through a tabwriter with a minimum width of 20.
    table([['NAME', 'STATUS', 'CONFIG FILES'], ...projects.map((p) => [p.name, p.status, p.configFiles])], 20).forEach(
      (line) => say(line),
    )
  return 0
}

/** `--filter name=PATTERN`: the projects whose name the pattern matches anywhere, as the docker CLI's name filters match. */
function nameFilter(filter: string): RegExp {
  const [key, value] = keyValueOf(filter)
  if (key !== 'name') throw new HarnessError(`invalid filter '${key}'`)
  try {
    return new RegExp(value)
  } catch {
    throw new HarnessError(`invalid filter 'name=${value}': not a regular expression`)
  }
}
