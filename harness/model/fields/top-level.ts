import { describe } from '../document/describe.js'
import {
  readBoolean,
  readInteger,
  readKeyValues,
  readList,
  readMapping,
  readString,
  readStringList,
  type FieldContext,
} from './readers.js'
import { isMapping } from '../document/values.js'
import { storedPath } from './service-fields.js'
import type { FileObjectSpec, NetworkSpec, VolumeSpec } from '../project/types.js'

const NETWORK_KEYS = [
  'name',
  'driver',
  'driver_opts',
  'external',
  'internal',
  'attachable',
  'labels',
  'ipam',
  'enable_ipv4',
  'enable_ipv6',
]
const VOLUME_KEYS = ['name', 'driver', 'driver_opts', 'external', 'labels']

/**
 * Top-level `networks`, with the implicit `default` network when a service is on it (`usesDefault`:
 * any service, whatever its profiles, as compose-go adds it).
 */
export function readNetworks(
  value: unknown,
  project: string,
  ctx: FieldContext,
  usesDefault: boolean,
): Record<string, NetworkSpec> {
  const out: Record<string, NetworkSpec> = usesDefault
    ? { default: { name: `${project}_default`, external: false, internal: false, labels: {}, options: {} } }
    : {}
  for (const [key, raw] of Object.entries(section(value, 'networks', ctx))) {
    const n = readMapping(raw ?? {}, ['networks', key], ctx, NETWORK_KEYS)
    const common = readCommon(n, ['networks', key], project, key, ctx)
    const internal =
      n.internal === undefined ? false : (readBoolean(n.internal, ['networks', key, 'internal'], ctx) ?? false)
    out[key] = { ...common, internal, options: readNetworkOptions(n, ['networks', key], ctx) }
  }
  return out
}

export function readTopLevelVolumes(value: unknown, project: string, ctx: FieldContext): Record<string, VolumeSpec> {
  const out: Record<string, VolumeSpec> = {}
  for (const [key, raw] of Object.entries(section(value, 'volumes', ctx))) {
    const v = readMapping(raw ?? {}, ['volumes', key], ctx, VOLUME_KEYS)
    const driverOpts =
      v.driver_opts === undefined
        ? undefined
        : bindDevice(readKeyValues(v.driver_opts, ['volumes', key, 'driver_opts'], ctx, 'empty'), ctx)
    out[key] = { ...readCommon(v, ['volumes', key], project, key, ctx), ...(driverOpts && { driverOpts }) }
  }
  return out
}

/**
 * `ipam`, `driver_opts`, `attachable`, `enable_ipv4` and `enable_ipv6`, each checked for its
 * shape and kept as written: the runtime hands them to the engine as Compose v2 does.
 */
function readNetworkOptions(n: Record<string, unknown>, path: string[], ctx: FieldContext): Record<string, unknown> {
  const at = (...keys: (string | number)[]) => [...path, ...keys]
  const options: Record<string, unknown> = {}
  for (const flag of ['attachable', 'enable_ipv4', 'enable_ipv6']) {
    if (n[flag] !== undefined && readBoolean(n[flag], at(flag), ctx) !== undefined) options[flag] = n[flag]
  }
  if (n.driver_opts !== undefined) options.driver_opts = readKeyValues(n.driver_opts, at('driver_opts'), ctx, 'empty')
  if (n.ipam !== undefined) {
    const ipam = readMapping(n.ipam, at('ipam'), ctx, ['driver', 'config', 'options'])
    if (ipam.driver !== undefined) readString(ipam.driver, at('ipam', 'driver'), ctx)
    if (ipam.options !== undefined) readKeyValues(ipam.options, at('ipam', 'options'), ctx, 'empty')
    const pools = ipam.config === undefined ? [] : readList(ipam.config, at('ipam', 'config'), ctx)
    pools.forEach((pool, i) => {
      const p = readMapping(pool, at('ipam', 'config', i), ctx, ['subnet', 'ip_range', 'gateway', 'aux_addresses'])
      for (const key of ['subnet', 'ip_range', 'gateway'] as const)
        if (p[key] !== undefined) readString(p[key], at('ipam', 'config', i, key), ctx)
      if (p.aux_addresses !== undefined)
        readKeyValues(p.aux_addresses, at('ipam', 'config', i, 'aux_addresses'), ctx, 'empty')
    })
    options.ipam = n.ipam
  }
  return options
}

/** A local volume that binds a host directory (`o: bind`) names it from the project directory, as Compose v2 resolves it. */
function bindDevice(opts: Record<string, string>, ctx: FieldContext): Record<string, string> {
  const binds = (opts.o ?? '').split(',').includes('bind')
  return binds && opts.device !== undefined && !opts.device.startsWith('/')
    ? { ...opts, device: storedPath(opts.device, ctx) }
    : opts
}

function section(value: unknown, key: string, ctx: FieldContext): Record<string, unknown> {
  if (value === undefined || value === null) return {}
  if (isMapping(value)) return value
  ctx.problems.add([key], `expected a mapping, got ${describe(value)}`)
  return {}
}

/** What networks and volumes share: the engine name (`<project>_<key>` unless named or external), driver, labels. */
function readCommon(
  m: Record<string, unknown>,
  path: string[],
  project: string,
  key: string,
  ctx: FieldContext,
): VolumeSpec {
  const old =
    m.external === undefined ? { external: false } : readExternal(m.external, [...path, 'external'], ctx, m.name)
  const { external } = old
  // Empty, as an unset variable leaves them, is no name or driver at all (as in Compose v2), but
  // an external resource keeps its empty name, as v2 does (and finds nothing by it).
  const written = m.name === undefined ? old.name : readString(m.name, [...path, 'name'], ctx)
  const named = external ? written : written || undefined
  const driver = m.driver === undefined ? undefined : readString(m.driver, [...path, 'driver'], ctx) || undefined
  if (external && (driver !== undefined || m.labels !== undefined))
    ctx.problems.add([...path, 'external'], 'an external resource cannot also set driver or labels')
  return {
    name: named ?? (external ? key : `${project}_${key}`),
    ...(driver !== undefined && { driver }),
    external,
    labels: m.labels === undefined ? {} : readKeyValues(m.labels, [...path, 'labels'], ctx, 'empty'),
  }
}

/**
 * `external: true`, or its old form `external: {name: …}`, which Compose v2 still loads as
 * `external: true` with that `name` (a different `name:` beside it is a conflict). Returns whether
 * the resource is external, and the name the old form gives.
 */
function readExternal(
  value: unknown,
  path: string[],
  ctx: FieldContext,
  named: unknown,
): { readonly external: boolean; readonly name?: string } {
  if (!isMapping(value)) return { external: readBoolean(value, path, ctx) ?? false }
  const old = readMapping(value, path, ctx, ['name'])
  const name = old.name == null ? undefined : readString(old.name, [...path, 'name'], ctx)
  if (name !== undefined && named !== undefined && named !== name)
    ctx.problems.add(
      path,
      `gives the name ${JSON.stringify(name)}, and name: another (${JSON.stringify(named)}): give one`,
    )
  return { external: true, ...(name !== undefined && { name }) }
}

/**
 * Top-level `secrets` or `configs`: each from a `file`, an `environment` variable, `content`
 * (configs only) or `external`, exactly one of them; named `<project>_<key>` unless `name:` is
 * given or it is external, as Compose v2 names them.
 */
export function readFileObjects(
  value: unknown,
  kind: 'secrets' | 'configs',
  project: string,
  ctx: FieldContext,
): Record<string, FileObjectSpec> {
  const out: Record<string, FileObjectSpec> = {}
  const sources =
    kind === 'configs' ? ['file', 'environment', 'content', 'external'] : ['file', 'environment', 'external']
  for (const [key, raw] of Object.entries(section(value, kind, ctx))) {
    const path = [kind, key]
    const m = readMapping(raw ?? {}, path, ctx, [
      ...sources,
      'name',
      'labels',
      'driver',
      'driver_opts',
      'template_driver',
    ])
    const given = sources.filter((s) => m[s] !== undefined && m[s] !== false)
    if (given.length !== 1)
      ctx.problems.add(
        path,
        `needs exactly one of ${sources.join(', ')}${given.length > 1 ? `, got ${given.join(' and ')}` : ''}`,
      )
    const old =
      m.external === undefined ? { external: false } : readExternal(m.external, [...path, 'external'], ctx, m.name)
    const { external } = old
    const text = (k: string) => (m[k] === undefined ? undefined : readString(m[k], [...path, k], ctx))
    const named = text('name') ?? old.name
    const file = text('file')
    const environment = text('environment')
    const value = environment === undefined ? undefined : ctx.lookup(environment)
    const content = text('content')
    out[key] = {
      name: named ?? (external ? key : `${project}_${key}`),
      external,
      ...(file !== undefined && { file: storedPath(file, ctx) }),
      ...(environment !== undefined && { environment }),
      ...(value !== undefined && { value }),
      ...(content !== undefined && { content }),
      labels: m.labels === undefined ? {} : readKeyValues(m.labels, [...path, 'labels'], ctx, 'empty'),
    }
  }
  return out
}

/** The top-level secret or config that a reference names: `name`, or `{source: name, …}`; undefined for any other shape. */
export function referencedSource(ref: unknown): string | undefined {
  const source = typeof ref === 'string' ? ref : isMapping(ref) ? ref.source : undefined
  return typeof source === 'string' ? source : undefined
}

/**
 * Top-level `models`, as the specification defines them: each a mapping with its `model` (the
 * image of the model), and optionally `context_size` and `runtime_flags`. Kept as written.
 */
export function readModels(value: unknown, ctx: FieldContext): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {}
  for (const [key, raw] of Object.entries(section(value, 'models', ctx))) {
    const path = ['models', key]
    const m = readMapping(raw, path, ctx, ['name', 'model', 'context_size', 'runtime_flags'])
    if (!isMapping(raw)) continue
    if (m.model === undefined) ctx.problems.add(path, 'a model needs `model`, the model to serve')
    else readString(m.model, [...path, 'model'], ctx)
    if (m.name != null) readString(m.name, [...path, 'name'], ctx)
    if (m.context_size != null) readInteger(m.context_size, [...path, 'context_size'], ctx, 1)
    if (m.runtime_flags != null) readStringList(m.runtime_flags, [...path, 'runtime_flags'], ctx)
    out[key] = raw
  }
  return out
}
