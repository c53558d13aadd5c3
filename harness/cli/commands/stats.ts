import type { ContainerStats } from '../../runtime/container/container-stats.js'
import { isTemplate, renderTemplate } from '../go-template.js'
import { formatOf, type OptionTable, parseOptions } from '../options.js'
import type { Command } from './command.js'
import { bytesSize, humanSize } from './human-units.js'

/** `stats`'s options. */
export const STATS_OPTIONS = {
  all: { type: 'boolean', short: 'a' },
  format: { type: 'string' },
  'no-stream': { type: 'boolean' },
  'no-trunc': { type: 'boolean' },
} as const satisfies OptionTable

/** The docker CLI's default table, and each field's column header. */
const DEFAULT_TABLE =
  'table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}'
const HEADERS = {
  ID: 'CONTAINER ID',
  Container: 'CONTAINER',
  Name: 'NAME',
  CPUPerc: 'CPU %',
  MemUsage: 'MEM USAGE / LIMIT',
  MemPerc: 'MEM %',
  NetIO: 'NET I/O',
  BlockIO: 'BLOCK I/O',
  PIDs: 'PIDS',
}

/** How often a streaming `stats` shows its figures again. */
const REFRESH_MS = 1000

/**
 * `stats [-a] [--no-stream] [--no-trunc] [--format table|json|TEMPLATE] [SERVICE…]`: each
 * container's use of CPU, memory, network, disk and processes, as `docker compose stats` shows it;
 * again every second until Ctrl+C, unless `--no-stream`.
 */
export const stats: Command = async (compose, args, { say }) => {
  const { values, positionals } = parseOptions('stats', args, STATS_OPTIONS)
  const format = isTemplate(values.format) ? values.format : formatOf('stats', values.format, ['table', 'json'])
  const show = async (): Promise<string[]> => {
    const rows = (await compose.stats(positionals, { all: Boolean(values.all) })).map((s) =>
      statsRow(s, Boolean(values['no-trunc'])),
    )
    if (format === 'json') return rows.map((row) => JSON.stringify(row))
    return renderTemplate(format === 'table' ? DEFAULT_TABLE : format, { rows, headers: HEADERS })
  }
  if (values['no-stream']) {
    ;(await show()).forEach((line) => say(line))
    return 0
  }
  let stopped = false
  const stop = (): void => void (stopped = true)
  process.once('SIGINT', stop).once('SIGTERM', stop)
  try {
    while (!stopped) {
      const lines = await show()
      // The docker CLI clears the screen before each showing.
      say(`\x1b[2J\x1b[H${lines.join('\n')}`)
      // A timer that holds the process: nothing else may while the figures are shown again.
      await new Promise((resolve) => setTimeout(resolve, REFRESH_MS))
    }
  } finally {
    process.off('SIGINT', stop).off('SIGTERM', stop)
  }
  return 130
}

/** A container's figures in the docker CLI's words, as its `{{json .}}` writes them. */
export function statsRow(s: ContainerStats, noTrunc: boolean): Record<string, string> {
  return {
    BlockIO: `${humanSize(s.blockRead)} / ${humanSize(s.blockWrite)}`,
    CPUPerc: `${s.cpuPercent.toFixed(2)}%`,
    Container: noTrunc ? s.id : s.id.slice(0, 12),
    ID: noTrunc ? s.id : s.id.slice(0, 12),
    MemPerc: `${s.memoryPercent.toFixed(2)}%`,
    MemUsage: `${bytesSize(s.memoryUsage)} / ${bytesSize(s.memoryLimit)}`,
    Name: s.name,
    NetIO: `${humanSize(s.netRx)} / ${humanSize(s.netTx)}`,
    PIDs: String(s.pids),
  }
}
