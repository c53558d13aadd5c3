import { isScalar } from '../document/describe.js'
import {
  readKeyValues,
  readInteger,
  readList,
  readNamedSettings,
  readString,
  readStrings,
  type FieldContext,
} from './readers.js'
import { isMapping } from '../document/values.js'
import type { ServiceNetworkSpec } from '../project/types.js'
import type { YamlPath } from '../document/where.js'

/** `[front, back]` or `{front: {aliases: [...]}, back: null}`. */
export function readServiceNetworks(
  value: unknown,
  path: YamlPath,
  ctx: FieldContext,
): Record<string, ServiceNetworkSpec> {
  const out: Record<string, ServiceNetworkSpec> = {}
  const known = [
    'aliases',
    'ipv4_address',
    'ipv6_address',
    'priority',
    'link_local_ips',
    'mac_address',
    'driver_opts',
    'gw_priority',
    'interface_name',
  ]
  for (const [name, n] of readNamedSettings(value, path, ctx, 'networks', known)) {
    const at = [...path, name]
    const ipv4 = n.ipv4_address === undefined ? undefined : readString(n.ipv4_address, [...at, 'ipv4_address'], ctx)
    const ipv6 = n.ipv6_address === undefined ? undefined : readString(n.ipv6_address, [...at, 'ipv6_address'], ctx)
    const priority = n.priority === undefined ? undefined : readInteger(n.priority, [...at, 'priority'], ctx, -Infinity)
    const linkLocalIps =
      n.link_local_ips === undefined ? undefined : readStrings(n.link_local_ips, [...at, 'link_local_ips'], ctx)
    const text = (key: string) => (n[key] == null ? undefined : readString(n[key], [...at, key], ctx))
    const macAddress = text('mac_address')
    const interfaceName = text('interface_name')
    const driverOpts =
      n.driver_opts == null ? undefined : readKeyValues(n.driver_opts, [...at, 'driver_opts'], ctx, 'empty')
    const gwPriority =
      n.gw_priority == null ? undefined : readInteger(n.gw_priority, [...at, 'gw_priority'], ctx, -Infinity)
    const written = isMapping(value) && value[name] != null
    out[name] = {
      aliases: n.aliases === undefined ? [] : readStrings(n.aliases, [...at, 'aliases'], ctx),
      ...(written && { settingsWritten: true }),
      ...(ipv4 !== undefined && { ipv4Address: ipv4 }),
      ...(ipv6 !== undefined && { ipv6Address: ipv6 }),
      ...(priority !== undefined && { priority }),
      ...(linkLocalIps !== undefined && { linkLocalIps }),
      ...(macAddress !== undefined && { macAddress }),
      ...(driverOpts !== undefined && { driverOpts }),
      ...(gwPriority !== undefined && { gwPriority }),
      ...(interfaceName !== undefined && { interfaceName }),
    }
  }
  return out
}

/** `["host:1.2.3.4", "other=5.6.7.8"]` or `{host: 1.2.3.4}` (a list of addresses allowed) → host → addresses. */
export function readExtraHosts(value: unknown, path: YamlPath, ctx: FieldContext): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  const add = (host: string, ip: string, at: YamlPath): void => {
    if (!host || !ip)
      ctx.problems.add(at, `expected "host:address" or "host=address", got ${JSON.stringify(`${host}:${ip}`)}`)
    else out[host] = [...(out[host] ?? []), ip]
  }
  if (isMapping(value)) {
    for (const [host, ips] of Object.entries(value)) {
      for (const ip of Array.isArray(ips) ? ips : [ips]) add(host, isScalar(ip) ? String(ip) : '', [...path, host])
    }
    return out
  }
  readList(value, path, ctx).forEach((item, i) => {
    const text = String(item)
    const sep = text.includes('=') ? text.indexOf('=') : text.indexOf(':')
    add(sep < 0 ? text : text.slice(0, sep), sep < 0 ? '' : text.slice(sep + 1).replace(/^\[|\]$/g, ''), [...path, i])
  })
  return out
}

/** `host`, `none`, `bridge`, `service:name` or `container:name`. */
export function readNetworkMode(value: unknown, path: YamlPath, ctx: FieldContext): string | undefined {
  const mode = readString(value, path, ctx)
  if (mode === undefined || /^(host|none|bridge|default|service:.+|container:.+)$/.test(mode)) return mode
  ctx.problems.add(path, `expected host, none, bridge, service:NAME or container:NAME, got ${JSON.stringify(mode)}`)
  return undefined
}
