import type { ContainerProcesses } from '../../runtime/project/project-queries.js'
import { type OptionTable, parseOptions } from '../options.js'
import type { Command } from './command.js'
import { table } from './table.js'

/** `top`'s options. */
export const TOP_OPTIONS = {} as const satisfies OptionTable

/** `top [SERVICE…]`: the processes of the running containers, in one table, as Compose 2.40 prints them. */
export const top: Command = async (compose, args, { say }) => {
  const { positionals } = parseOptions('top', args, TOP_OPTIONS)
  const rows = topRows(await compose.top(positionals))
  // Go's tabwriter as v2 sets it for `top`: cells at least 4 wide, 2 spaces between columns.
  if (rows.length > 1) table(rows, 4, 2).forEach((line) => say(line))
  return 0
}

/**
 * Pure: the table of Compose 2.40's `top`: `SERVICE` and `#` (the container's number), then each
 * title the engine gives as it first comes, `CMD` last; one row a process, the containers by
 * name; a title a container lacks is `-`. Just the header when nothing runs.
 */
export function topRows(containers: readonly ContainerProcesses[]): string[][] {
  const sorted = [...containers].sort((a, b) => (a.container < b.container ? -1 : a.container > b.container ? 1 : 0))
  const titles = ['SERVICE', '#']
  for (const title of sorted.flatMap((c) => c.titles)) if (!titles.includes(title)) titles.push(title)
  const header = titles.includes('CMD') ? [...titles.filter((t) => t !== 'CMD'), 'CMD'] : titles
  const rows = sorted.flatMap((c) =>
    c.processes.map((process) => {
      const cells: Record<string, string> = { SERVICE: c.service, '#': String(c.number) }
      c.titles.forEach((title, i) => (cells[title] = process[i] ?? ''))
      return header.map((title) => cells[title] ?? '-')
    }),
  )
  return [header, ...rows]
}
