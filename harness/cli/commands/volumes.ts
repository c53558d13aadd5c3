import { formatOf, type OptionTable, parseOptions } from '../options.js'
import type { Command } from './command.js'
import { table } from './table.js'

/** `volumes`'s options. */
export const VOLUMES_OPTIONS = {
  format: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
} as const satisfies OptionTable

/** `volumes [-q] [--format table|json] [SERVICE…]`: the project's volumes, as Compose v2 lists them. */
export const volumes: Command = async (compose, args, { say }) => {
  const { values, positionals } = parseOptions('volumes', args, VOLUMES_OPTIONS)
  const format = formatOf('volumes', values.format, ['table', 'json'])
  const found = await compose.volumes(positionals)
  if (values.quiet) {
    for (const v of found) say(v.name)
    return 0
  }
  if (format === 'json') {
    // The docker CLI's volume fields, one object a line; what a local volume has no value for is N/A.
    for (const v of found)
      say(
        JSON.stringify({
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
        }),
      )
    return 0
  }
  table([['DRIVER', 'VOLUME NAME'], ...found.map((v) => [v.driver, v.name])], 10).forEach((line) => say(line))
  return 0
}
