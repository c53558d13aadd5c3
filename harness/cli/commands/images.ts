import { formatOf, type OptionTable, parseOptions } from '../options.js'
import type { Command } from './command.js'
import { table } from './table.js'
import { humanDuration, humanSize } from './human-units.js'

/** `images`'s options. */
export const IMAGES_OPTIONS = {
  format: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
} as const satisfies OptionTable

/** `images [-q] [--format table|json] [SERVICE…]`: the image each container of the project runs. */
export const images: Command = async (compose, args, { say }) => {
  const { values, positionals } = parseOptions('images', args, IMAGES_OPTIONS)
  const format = formatOf('images', values.format, ['table', 'json'])
  const found = await compose.images(positionals)
  if (values.quiet) {
    for (const id of new Set(found.map((i) => i.id.replace(/^sha256:/, '')))) say(id)
    return 0
  }
  if (format === 'json') {
    const rows = found.map((i) => ({
      ID: i.id,
      ContainerName: i.container,
      Repository: i.repository,
      Tag: i.tag,
      Platform: i.platform,
      Size: i.size,
      LastTagTime: i.lastTagTime,
    }))
    say(JSON.stringify(rows))
    return 0
  }
  const rows = found.map((i) => [
    i.container,
    i.repository,
    i.tag,
    i.platform,
    i.id.replace(/^sha256:/, '').slice(0, 12),
    humanSize(i.size),
    `${humanDuration((Date.now() - Date.parse(i.lastTagTime)) / 1000)} ago`,
  ])
  // Compose v2's images writes through a tabwriter with a minimum width of 20.
  table([['CONTAINER', 'REPOSITORY', 'TAG', 'PLATFORM', 'IMAGE ID', 'SIZE', 'CREATED'], ...rows], 20).forEach((line) =>
    say(line),
  )
  return 0
}
