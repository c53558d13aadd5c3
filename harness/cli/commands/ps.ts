import type { ContainerPort } from '../../runtime/project/project-containers.js'
import { formatOf, type OptionTable, parseOptions } from '../options.js'
import type { Command } from './command.js'
import { table } from './table.js'

/** `ps`'s options. */
export const PS_OPTIONS = {
  format: { type: 'string' },
  all: { type: 'boolean', short: 'a' },
} as const satisfies OptionTable

/** `ps [-a] [--format table|json]`: the project's containers as the engine has them. */
export const ps: Command = async (compose, args, { say }) => {
  const { values } = parseOptions('ps', args, PS_OPTIONS)
  const format = formatOf('ps', values.format, ['table', 'json'])
  const containers = (await compose.ps()).filter((c) => values.all || c.state !== 'exited')
  if (format === 'json') {
    const project = compose.load().project.name
    for (const c of containers) {
      const publishers = c.ports.map((p) => ({
        URL: p.hostIp ?? '',
        TargetPort: p.target,
        PublishedPort: p.published ?? 0,
        Protocol: p.protocol,
      }))
      say(
        JSON.stringify({
          ID: c.id,
          Name: c.name,
          Project: project,
          Service: c.service,
          State: c.state,
          Status: c.status,
          Image: c.image,
          Publishers: publishers,
        }),
      )
    }
    return 0
  }
  const rows = containers.map((c) => [c.name, c.image, c.service, c.status, portsColumn(c.ports)])
  table([['NAME', 'IMAGE', 'SERVICE', 'STATUS', 'PORTS'], ...rows]).forEach((line) => say(line))
  return 0
}

/** `127.0.0.1:49153->8080/tcp, 2000/tcp`, as `docker compose ps` shows ports. */
function portsColumn(ports: readonly ContainerPort[]): string {
  const text = ports.map((p) =>
    p.published === undefined ? `${p.target}/${p.protocol}` : `${p.hostIp}:${p.published}->${p.target}/${p.protocol}`,
  )
  return [...new Set(text)].join(', ')
}
