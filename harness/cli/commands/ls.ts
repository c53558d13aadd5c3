import { Compose } from '../../api/compose.js'
import { formatOf, parseCommandArgs } from '../args.js'
import type { Io } from '../io.js'
import { table } from './table.js'

/** `ls [-a] [-q] [--format table|json]`: the projects on the engine, whichever tool brought them up. */
export async function ls(args: string[], { say }: Io): Promise<number> {
  const { values } = parseCommandArgs('ls', args, {
    all: { type: 'boolean', short: 'a' },
    quiet: { type: 'boolean', short: 'q' },
    format: { type: 'string' },
  })
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
