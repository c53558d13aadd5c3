import type { ProjectEvent } from '../../runtime/project/project-events.js'
import { type OptionTable, parseOptions } from '../options.js'
import type { Command } from './command.js'

/** `events`'s options. */
export const EVENTS_OPTIONS = {
  json: { type: 'boolean' },
  since: { type: 'string' },
  until: { type: 'string' },
} as const satisfies OptionTable

/**
 * `events [--json] [--since T] [--until T] [SERVICE…]`: the project's container events as the
 * engine reports them, in Compose v2's words, until `--until` or Ctrl+C.
 */
export const events: Command = async (compose, args, { say }) => {
  const { values, positionals } = parseOptions('events', args, EVENTS_OPTIONS)
  const controller = new AbortController()
  const stop = (): void => controller.abort()
  process.once('SIGINT', stop).once('SIGTERM', stop)
  try {
    await compose.events(
      {
        ...(positionals.length > 0 && { services: positionals }),
        ...(values.since !== undefined && { since: values.since }),
        ...(values.until !== undefined && { until: values.until }),
        signal: controller.signal,
      },
      (event) => say(values.json ? eventJson(event) : eventLine(event)),
    )
  } finally {
    process.off('SIGINT', stop).off('SIGTERM', stop)
  }
  return controller.signal.aborted ? 130 : 0
}

/** Compose v2's line: local time to the microsecond, the action, the ID, the attributes; then an empty line, as v2 prints it. */
export function eventLine(e: ProjectEvent): string {
  const t = e.time
  const pad = (n: number, width = 2) => String(n).padStart(width, '0')
  const micros = pad(Number((e.timeNano / 1000n) % 1_000_000n), 6)
  const when = `${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())} ${pad(t.getHours())}:${pad(t.getMinutes())}:${pad(t.getSeconds())}.${micros}`
  const attributes = Object.entries(e.attributes)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ')
  return `${when} container ${e.action} ${e.id} (${attributes})\n`
}

/** Compose v2's `--json` line: its fields in Go's order (sorted), the time in RFC 3339 to the nanosecond. */
export function eventJson(e: ProjectEvent): string {
  const sorted = Object.fromEntries(Object.entries(e.attributes).sort(([a], [b]) => (a < b ? -1 : 1)))
  return JSON.stringify({
    action: e.action,
    attributes: sorted,
    id: e.id,
    service: e.service,
    time: rfc3339Nano(e.timeNano),
    type: 'container',
  })
}

/** Go's time.RFC3339Nano in UTC: trailing zeros of the fraction dropped. */
function rfc3339Nano(nanos: bigint): string {
  const date = new Date(Number(nanos / 1_000_000n)).toISOString().slice(0, 19)
  const fraction = String(nanos % 1_000_000_000n)
    .padStart(9, '0')
    .replace(/0+$/, '')
  return `${date}${fraction ? `.${fraction}` : ''}Z`
}
