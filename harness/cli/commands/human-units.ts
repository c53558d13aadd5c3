// Sizes, durations and long text as the docker CLI writes them in its tables (go-units' words).

/** `text` cut to `max` characters, its last one an ellipsis, as the docker CLI's tables cut a command. */
export function ellipsis(text: string, max: number): string {
  const chars = [...text]
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`
}

/** A time in the docker CLI's words (go-units' HumanDuration): `Less than a second`, `5 seconds`, `About an hour`… */
export function humanDuration(seconds: number): string {
  const s = Math.floor(seconds)
  const minutes = Math.floor(seconds / 60)
  const hours = Math.floor(seconds / 3600 + 0.5)
  if (s < 1) return 'Less than a second'
  if (s === 1) return '1 second'
  if (s < 60) return `${s} seconds`
  if (minutes === 1) return 'About a minute'
  if (minutes < 60) return `${minutes} minutes`
  if (hours === 1) return 'About an hour'
  if (hours < 48) return `${hours} hours`
  if (hours < 24 * 7 * 2) return `${Math.floor(hours / 24)} days`
  if (hours < 24 * 30 * 2) return `${Math.floor(hours / 24 / 7)} weeks`
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24 / 30)} months`
  return `${Math.floor(seconds / 3600 / 24 / 365)} years`
}

/** Bytes in the docker CLI's words: three significant digits and a decimal unit (`279MB`, `1.2GB`). */
export function humanSize(bytes: number): string {
  return scaled(bytes, 1000, ['B', 'kB', 'MB', 'GB', 'TB'], 3)
}

/** Bytes in binary units, four significant digits, as the docker CLI writes memory (go-units' BytesSize): `1.5MiB`. */
export function bytesSize(bytes: number): string {
  return scaled(bytes, 1024, ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'], 4)
}

/** go-units' way: divided by `base` while it is that big, then `digits` significant digits and the unit. */
function scaled(bytes: number, base: number, units: readonly string[], digits: number): string {
  let value = bytes
  let unit = 0
  while (value >= base && unit < units.length - 1) {
    value /= base
    unit++
  }
  return `${Number(value.toPrecision(digits))}${units[unit]}`
}
