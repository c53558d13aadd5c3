import { formatOf, type OptionTable, parseOptions } from '../options.js'
import { isTemplate, renderTemplate } from '../go-template.js'
import type { ProjectVolume } from '../../runtime/project/project-queries.js'
import type { Command } from './command.js'
import { table } from './table.js'

/** `volumes`'s options. */
export const VOLUMES_OPTIONS = {
  format: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
} as const satisfies OptionTable

/** `volumes [-q] [--format table|json|TEMPLATE] [SERVICE…]`: the project's volumes, as Compose v2 lists them. */
export const volumes: Command = async (compose, args, { say }) => {
  const { values, positionals } = parseOptions('volumes', args, VOLUMES_OPTIONS)
  const format = isTemplate(values.format) ? 'template' : formatOf('volumes', values.format, ['table', 'json'])
  const found = await compose.volumes(positionals)
  if (values.quiet) {
    for (const v of found) say(v.name)
    return 0
  }
  if (format !== 'table') {
    const rows = found.map(volumeRow)
    if (format === 'json') rows.forEach((row) => say(JSON.stringify(row)))
    else renderTemplate(values.format!, { rows, headers: VOLUME_HEADERS }).forEach((line) => say(line))
    return 0
  }
  table([['DRIVER', 'VOLUME NAME'], ...found.map((v) => [v.driver, v.name])], 10).forEach((line) => say(line))
  return 0
}

/** A volume as the docker CLI's `{{json .}}` writes it: what a local volume has no value for is N/A. */
function volumeRow(v: ProjectVolume): Record<string, unknown> {
  return {
    Availability: 'N/A',
    Driver: v.driver,
    Group: 'N/A',
    Labels: Object.entries(v.labels)
      .map(([k, value]) => `${k}=${value}`)
      .join(','),
    Links: 'N/A',
    Mountpoint: v.mountpoint,
    Name: v.name,
    Scope: v.scope,
    Size: 'N/A',
    Status: 'N/A',
  }
}

/** Each field's column header in a `table` template, as the docker CLI names them. */
const VOLUME_HEADERS = {
  Availability: 'AVAILABILITY',
  Driver: 'DRIVER',
  Group: 'GROUP',
  Labels: 'LABELS',
  Links: 'LINKS',
  Mountpoint: 'MOUNTPOINT',
  Name: 'VOLUME NAME',
  Scope: 'SCOPE',
  Size: 'SIZE',
  Status: 'STATUS',
}
