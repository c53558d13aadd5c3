import { describe, isScalar } from '../document/describe.js'
import { readInteger, readList, readMapping, readString, type FieldContext } from './readers.js'
import { isPort } from './service-fields.js'
import type { PortSpec, Protocol } from '../project/types.js'
import type { YamlPath } from '../document/where.js'

const PROTOCOLS: readonly Protocol[] = ['tcp', 'udp', 'sctp']
/** `[[ip:][host[-host]]:]container[-container][/protocol]`, the IP possibly in brackets (IPv6). */
const SHORT = /^(?:(?:(\[[0-9a-fA-F:.]+\]|[0-9.]+):)?(\d*)(?:-(\d+))?:)?(\d+)(?:-(\d+))?(?:\/(\w+))?$/

/** Short strings (`"8080:80"`, `"127.0.0.1:8000-8001:80-81/udp"`) and long mappings, one entry a container port. */
export function readPorts(value: unknown, path: YamlPath, ctx: FieldContext): PortSpec[] {
  return readList(value, path, ctx).flatMap((item, i) => {
    const at = [...path, i]
    return isScalar(item) ? shortPort(String(item), at, ctx) : longPort(item, at, ctx)
  })
}

function shortPort(text: string, path: YamlPath, ctx: FieldContext): PortSpec[] {
  const read = parsePort(text)
  if (!('problem' in read)) return read
  ctx.problems.add(path, read.problem)
  return []
}

/** One port in the short syntax (`"8080:80"`, as `ports:` and `run -p` write it), or what is wrong with it. */
export function parsePort(text: string): PortSpec[] | { readonly problem: string } {
  const m = SHORT.exec(text)
  const bad = (why: string) => ({ problem: `invalid port ${JSON.stringify(text)}: ${why}` })
  if (!m)
    return bad('expected [[ip:]host:]container[/protocol], such as "8080:80" or "127.0.0.1:5000-5001:5000-5001/udp"')
  const [, ip, hostFrom, hostTo, from, to, protocol = 'tcp'] = m
  if (!PROTOCOLS.includes(protocol as Protocol))
    return bad(`unknown protocol "${protocol}" (expected tcp, udp or sctp)`)
  const first = Number(from)
  const last = to === undefined ? first : Number(to)
  if (!isPort(first) || !isPort(last) || last < first)
    return bad('container ports must be 1-65535, a range low to high')
  const host = hostFrom
    ? { from: Number(hostFrom), to: hostTo === undefined ? Number(hostFrom) : Number(hostTo) }
    : undefined
  // Host port 0 is a port the engine chooses, as when none is given (Compose v2 keeps the 0).
  const anyPort = host?.from === 0 && host.to === 0
  if (host && !anyPort && (!isPort(host.from) || !isPort(host.to) || host.to < host.from))
    return bad('host ports must be 0 (any) or 1-65535, a range low to high')
  const count = last - first + 1
  if (host && count > 1 && host.to - host.from + 1 !== count)
    return bad('the host and container ranges differ in length')
  const hostIp = ip?.replace(/^\[|\]$/g, '')
  return Array.from({ length: count }, (_, k): PortSpec => {
    const published = !host
      ? undefined
      : count > 1
        ? String(host.from + k)
        : host.from === host.to
          ? String(host.from)
          : `${host.from}-${host.to}`
    return {
      target: first + k,
      ...(published !== undefined && { published }),
      ...(hostIp && { hostIp }),
      protocol: protocol as Protocol,
      mode: 'ingress',
    }
  })
}

function longPort(value: unknown, path: YamlPath, ctx: FieldContext): PortSpec[] {
  const port = readMapping(value, path, ctx, [
    'target',
    'published',
    'host_ip',
    'protocol',
    'mode',
    'name',
    'app_protocol',
  ])
  const target = readInteger(port.target, [...path, 'target'], ctx, 1)
  if (target !== undefined && target > 65535)
    ctx.problems.add([...path, 'target'], `expected a port from 1 to 65535, got ${target}`)
  const published = port.published === undefined ? undefined : String(port.published)
  if (published !== undefined && !/^\d+(-\d+)?$/.test(published))
    ctx.problems.add([...path, 'published'], `expected a host port or range, got ${describe(port.published)}`)
  const hostIp = port.host_ip === undefined ? undefined : readString(port.host_ip, [...path, 'host_ip'], ctx)
  const protocol = port.protocol ?? 'tcp'
  if (!PROTOCOLS.includes(protocol as Protocol))
    ctx.problems.add([...path, 'protocol'], `expected tcp, udp or sctp, got ${describe(protocol)}`)
  const mode = port.mode ?? 'ingress'
  if (mode !== 'ingress' && mode !== 'host')
    ctx.problems.add([...path, 'mode'], `expected ingress or host, got ${describe(mode)}`)
  const name = port.name == null ? undefined : readString(port.name, [...path, 'name'], ctx)
  const appProtocol =
    port.app_protocol == null ? undefined : readString(port.app_protocol, [...path, 'app_protocol'], ctx)
  if (target === undefined || target > 65535) return []
  return [
    {
      target,
      ...(published && { published }),
      ...(hostIp && { hostIp }),
      protocol: protocol as Protocol,
      mode: mode as PortSpec['mode'],
      ...(name && { name }),
      ...(appProtocol && { appProtocol }),
    },
  ]
}
