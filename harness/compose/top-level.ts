import { describe } from './describe.js'
import { readBoolean, readKeyValues, readMapping, readString, type FieldContext } from './field-context.js'
import { isMapping } from './merge.js'
import type { NetworkSpec, VolumeSpec } from './types.js'

const NETWORK_KEYS = ['name', 'driver', 'driver_opts', 'external', 'internal', 'attachable', 'labels', 'ipam', 'enable_ipv4', 'enable_ipv6']
/** Passed to the engine as written when the network is created. */
const NETWORK_OPTIONS = ['ipam', 'driver_opts', 'attachable', 'enable_ipv4', 'enable_ipv6'] as const
const VOLUME_KEYS = ['name', 'driver', 'driver_opts', 'external', 'labels']

/** Top-level `networks`, with the implicit `default` network every project has. */
export function readNetworks(value: unknown, project: string, ctx: FieldContext): Record<string, NetworkSpec> {
  const out: Record<string, NetworkSpec> = { default: { name: `${project}_default`, external: false, internal: false, labels: {}, options: {} } }
  for (const [key, raw] of Object.entries(section(value, 'networks', ctx))) {
    const n = readMapping(raw ?? {}, ['networks', key], ctx, NETWORK_KEYS)
    const common = readCommon(n, ['networks', key], project, key, ctx)
    const internal = n.internal === undefined ? false : readBoolean(n.internal, ['networks', key, 'internal'], ctx) ?? false
    const options = Object.fromEntries(NETWORK_OPTIONS.filter((o) => n[o] !== undefined).map((o) => [o, n[o]]))
    out[key] = { ...common, internal, options }
  }
  return out
}

export function readVolumes(value: unknown, project: string, ctx: FieldContext): Record<string, VolumeSpec> {
  const out: Record<string, VolumeSpec> = {}
  for (const [key, raw] of Object.entries(section(value, 'volumes', ctx))) {
    out[key] = readCommon(readMapping(raw ?? {}, ['volumes', key], ctx, VOLUME_KEYS), ['volumes', key], project, key, ctx)
  }
  return out
}

function section(value: unknown, key: string, ctx: FieldContext): Record<string, unknown> {
  if (value === undefined || value === null) return {}
  if (isMapping(value)) return value
  ctx.problems.add([key], `expected a mapping, got ${describe(value)}`)
  return {}
}

/** What networks and volumes share: the engine name (`<project>_<key>` unless named or external), driver, labels. */
function readCommon(m: Record<string, unknown>, path: string[], project: string, key: string, ctx: FieldContext): VolumeSpec {
  const external = m.external === undefined ? false : readExternal(m.external, [...path, 'external'], ctx)
  const named = m.name === undefined ? undefined : readString(m.name, [...path, 'name'], ctx)
  const driver = m.driver === undefined ? undefined : readString(m.driver, [...path, 'driver'], ctx)
  if (external && (driver !== undefined || m.labels !== undefined)) ctx.problems.add([...path, 'external'], 'an external resource cannot also set driver or labels')
  return {
    name: named ?? (external ? key : `${project}_${key}`),
    ...(driver !== undefined && { driver }),
    external,
    labels: m.labels === undefined ? {} : readKeyValues(m.labels, [...path, 'labels'], ctx, 'empty'),
  }
}

function readExternal(value: unknown, path: string[], ctx: FieldContext): boolean {
  if (isMapping(value)) {
    ctx.problems.add(path, '`external: {name: …}` is obsolete: write `external: true` and `name: …`')
    return true
  }
  return readBoolean(value, path, ctx) ?? false
}
