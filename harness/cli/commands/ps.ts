import type { ContainerPort, ExistingContainer } from '../../runtime/project/project-containers.js'
import { isTemplate, renderTemplate } from '../go-template.js'
import { keyValueOf, formatOf, type OptionTable, parseOptions } from '../options.js'
import { HarnessError } from '../../errors.js'
import type { Command } from './command.js'
import { table } from './table.js'
import { ellipsis, humanDuration } from './human-units.js'

/** `ps`'s options. */
export const PS_OPTIONS = {
  all: { type: 'boolean', short: 'a' },
  quiet: { type: 'boolean', short: 'q' },
  services: { type: 'boolean' },
  status: { type: 'string', multiple: true },
  filter: { type: 'string', multiple: true },
  format: { type: 'string' },
  'no-trunc': { type: 'boolean' },
  orphans: { type: 'boolean' },
} as const satisfies OptionTable

/**
 * `ps [-a] [-q] [--services] [--status S]… [--filter status=S] [--orphans=false] [--no-trunc] [--format table|json|TEMPLATE] [SERVICE…]`:
 * the project's containers as the engine has them, as Compose v2 lists them.
 */
export const ps: Command = async (compose, args, { say }) => {
  const { values, positionals } = parseOptions('ps', args, PS_OPTIONS)
  const format = isTemplate(values.format) ? 'template' : formatOf('ps', values.format, ['table', 'json'])
  const statuses = [...(values.status ?? []), ...(values.filter ?? []).map(statusFilter)]
  const services = values.orphans === false ? Object.keys(compose.load().project.services) : undefined
  const containers = (await compose.ps(positionals)).filter(
    (c) =>
      (statuses.length > 0 ? statuses.includes(c.state) : values.all || c.state !== 'exited') &&
      (services === undefined || services.includes(c.service)),
  )
  if (values.quiet) containers.forEach((c) => say(c.id))
  else if (values.services) [...new Set(containers.map((c) => c.service))].forEach((s) => say(s))
  else if (format !== 'table') {
    const project = compose.load().project.name
    const rows = containers.map((c) => jsonRow(c, project, Boolean(values['no-trunc'])))
    if (format === 'json') rows.forEach((row) => say(JSON.stringify(row)))
    else renderTemplate(values.format!, { rows, headers: PS_HEADERS }).forEach((line) => say(line))
  } else {
    const rows = containers.map((c) => [
      c.name,
      c.image,
      commandColumn(c, Boolean(values['no-trunc'])),
      c.service,
      runningFor(c),
      c.status,
      portsColumn(c.ports),
    ])
    // Compose v2's ps writes through a tabwriter with a minimum width of 10.
    table([['NAME', 'IMAGE', 'COMMAND', 'SERVICE', 'CREATED', 'STATUS', 'PORTS'], ...rows], 10).forEach((l) => say(l))
  }
  return 0
}

/** Each field's column header in a `table` template, as Compose v2 names them (a field without one: `<no value>`, as in v2). */
const PS_HEADERS = {
  ID: 'CONTAINER ID',
  Name: 'NAME',
  Project: 'PROJECT',
  Service: 'SERVICE',
  Image: 'IMAGE',
  Command: 'COMMAND',
  CreatedAt: 'CREATED AT',
  RunningFor: 'CREATED',
  Ports: 'PORTS',
  State: 'STATE',
  Status: 'STATUS',
  Size: 'SIZE',
  Labels: 'LABELS',
}

/** `--filter status=running` → `running`; Compose's `ps` knows no other filter. */
function statusFilter(filter: string): string {
  const [key, value] = keyValueOf(filter)
  if (key !== 'status') throw new HarnessError(`unknown filter ${key}`)
  return value
}

/** One container as Compose v2's `ps --format json` prints it. */
function jsonRow(c: ExistingContainer, project: string, noTrunc: boolean): Record<string, unknown> {
  const publishers = c.ports.map((p) => ({
    URL: p.hostIp ?? '',
    TargetPort: p.target,
    PublishedPort: p.published ?? 0,
    Protocol: p.protocol,
  }))
  return {
    Command: commandColumn(c, noTrunc),
    CreatedAt: goTime(new Date(c.created * 1000)),
    ExitCode: c.exitCode ?? 0,
    ID: noTrunc ? c.id : c.id.slice(0, 12),
    Image: c.image,
    Name: c.name,
    Names: c.name,
    Networks: c.networks.join(','),
    Project: project,
    Publishers: publishers,
    RunningFor: runningFor(c),
    Service: c.service,
    State: c.state,
    Status: c.status,
  }
}

/** What it runs, quoted, and cut to 20 characters unless `noTrunc`. */
function commandColumn(c: ExistingContainer, noTrunc: boolean): string {
  return JSON.stringify(noTrunc ? c.command : ellipsis(c.command, 20))
}

/** `5 seconds ago`, from its creation. */
function runningFor(c: ExistingContainer): string {
  return `${humanDuration(Date.now() / 1000 - c.created)} ago`
}

/** A time as Go prints one (`2026-12-03 05:33:34 +0000 UTC`), in this machine's zone. */
function goTime(date: Date): string {
  const offset = -date.getTimezoneOffset()
  const local = new Date(date.getTime() + offset * 60_000).toISOString().slice(0, 19).replace('T', ' ')
  const sign = offset < 0 ? '-' : '+'
  const hhmm = `${String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0')}${String(Math.abs(offset) % 60).padStart(2, '0')}`
  return `${local} ${sign}${hhmm} ${offset === 0 ? 'UTC' : `${sign}${hhmm}`}`
}

/** `127.0.0.1:49153->8080/tcp, 2000/tcp`, as `docker compose ps` shows ports. */
function portsColumn(ports: readonly ContainerPort[]): string {
  const text = ports.map((p) =>
    p.published === undefined ? `${p.target}/${p.protocol}` : `${p.hostIp}:${p.published}->${p.target}/${p.protocol}`,
  )
  return [...new Set(text)].join(', ')
}
