import { formatOf, type OptionTable, parseOptions } from '../options.js'
import type { Command } from './command.js'
import { table } from './table.js'

/** `images`'s options. */
export const IMAGES_OPTIONS = { format: { type: 'string' } } as const satisfies OptionTable

/** `images [--format table|json] [SERVICE…]`: the image each container of the project runs. */
export const images: Command = async (compose, args, { say }) => {
  const { values, positionals } = parseOptions('images', args, IMAGES_OPTIONS)
  const format = formatOf('images', values.format, ['table', 'json'])
  const found = await compose.images(positionals)
  if (format === 'json') {
    const rows = found.map((i) => ({
      ID: i.id,
      ContainerName: i.container,
      Repository: i.repository,
      Tag: i.tag,
      Size: i.size,
    }))
    say(JSON.stringify(rows))
    return 0
  }
  const rows = found.map((i) => [
    i.container,
    i.repository,
    i.tag,
    i.id.replace(/^sha256:/, '').slice(0, 12),
    humanSize(i.size),
  ])
  table([['CONTAINER', 'REPOSITORY', 'TAG', 'IMAGE ID', 'SIZE'], ...rows]).forEach((line) => say(line))
  return 0
}

/** Bytes in the docker CLI's words: three significant digits and a decimal unit (`279MB`, `1.2GB`). */
export function humanSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB']
  let value = bytes
  let unit = 0
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000
    unit++
  }
  return `${Number(value.toPrecision(3))}${units[unit]}`
}
