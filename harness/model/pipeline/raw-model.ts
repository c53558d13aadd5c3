import { isAbsolute, join, posix } from 'node:path'
import { isMapping } from '../document/values.js'
import { isRemoteContext, isWindowsAbsolute } from '../fields/service-fields.js'
import { canonicalRaw } from './raw-canonical.js'
import { GoNilList } from './go-nil-list.js'
import type { Problems } from '../document/compose-error.js'

type Doc = Record<string, unknown>

export interface RawModelOptions {
  /** The project's name, as `-p`, COMPOSE_PROJECT_NAME, `name:` or the directory give it. */
  readonly projectName: string
  readonly projectDirectory: string
  /** The home directory a leading `~` stands for. */
  readonly home?: string | undefined
  /** False (`--no-path-resolution`): relative paths stay as written. */
  readonly resolvePaths?: boolean
  /** False (`--no-normalize`): no default network, no names from keys, no implied `depends_on`. */
  readonly normalize?: boolean
}

/**
 * Pure: the model as compose-go loads it without interpolation, which is what `config
 * --no-interpolate` prints (a plain document, not a project): the merged files (`include` and
 * `extends` applied) with their canonical forms and defaults, relative paths made absolute, then
 * normalized. Every `${…}` stays as written, and with it every value that holds one. A name
 * without a value (`environment: [NAME]`, build `args`) is looked up in what compose-go's loader
 * has as the environment there, which is only COMPOSE_PROJECT_NAME (Compose 2.40 does the same).
 * Keys are left in no order: the printer sorts them.
 */
export function rawModel(merged: Doc, options: RawModelOptions, problems: Problems): Doc {
  // `version` is left out (with its warning, given by the files' own load), as compose-go leaves it.
  const { version: _, ...written } = structuredClone(merged)
  const doc = canonicalRaw(written, problems)
  problems.throwIfAny()
  if (options.resolvePaths !== false) resolvePaths(doc, options)
  const lookup = (name: string) => (name === 'COMPOSE_PROJECT_NAME' ? options.projectName : undefined)
  resolveEnvironmentNames(doc, lookup)
  return omitEmptyDns(options.normalize === false ? doc : normalized(doc, options, lookup))
}

/** Relative paths made absolute against the project directory, where compose-go resolves them. */
function resolvePaths(doc: Doc, options: RawModelOptions): void {
  const home = (path: string) => (path.startsWith('~') ? `${options.home ?? '~'}${path.slice(1)}` : path)
  const absolute = (value: unknown): unknown => {
    if (typeof value !== 'string' || value === '') return value
    const path = home(value)
    // Go's filepath.Join also cleans the path: no trailing `/`.
    return isAbsolute(path) || isWindowsAbsolute(path)
      ? path
      : join(options.projectDirectory, path).replace(/(.)\/+$/, '$1')
  }
  const context = (value: unknown): unknown =>
    typeof value === 'string' && (value.includes('://') || value.startsWith('service:') || isRemoteContext(value))
      ? value
      : absolute(value)
  for (const service of mappings(doc.services)) {
    if (isMapping(service.build)) {
      const build = service.build
      if ('context' in build) build.context = context(build.context)
      rewrite(build, 'additional_contexts', context)
      rewrite(build, 'ssh', absolute)
    }
    for (const file of listOf(service.env_file)) if (isMapping(file)) file.path = absolute(file.path)
    if (Array.isArray(service.label_file)) service.label_file = service.label_file.map(absolute)
    for (const rule of listOf(isMapping(service.develop) ? service.develop.watch : undefined))
      if (isMapping(rule) && 'path' in rule) rule.path = absolute(rule.path)
    for (const mount of listOf(service.volumes))
      if (isMapping(mount) && mount.type === 'bind') mount.source = absolute(mount.source)
  }
  for (const kind of ['configs', 'secrets'])
    for (const resource of mappings(doc[kind])) if ('file' in resource) resource.file = absolute(resource.file)
  for (const volume of mappings(doc.volumes)) {
    const opts = volume.driver === 'local' && isMapping(volume.driver_opts) ? volume.driver_opts : undefined
    if (opts?.o === 'bind' && 'device' in opts) opts.device = absolute(opts.device)
  }
}

/** `environment: [NAME]` given `NAME=value` where the environment has it, as compose-go does before normalizing. */
function resolveEnvironmentNames(doc: Doc, lookup: (name: string) => string | undefined): void {
  for (const service of mappings(doc.services)) {
    if (!Array.isArray(service.environment)) continue
    service.environment = service.environment.flatMap((entry) => {
      if (typeof entry !== 'string') return []
      const value = lookup(entry)
      return [value === undefined ? entry : `${entry}=${value}`]
    })
  }
}

const started = (restart: boolean) => ({ condition: 'service_started', restart, required: true })

/** compose-go's normalization of the plain model: the default network, the dependencies others imply, names from keys. */
function normalized(doc: Doc, options: RawModelOptions, lookup: (name: string) => string | undefined): Doc {
  const out: Doc = { ...doc, name: options.projectName }
  const networks: Doc = isMapping(doc.networks) ? { ...doc.networks } : {}
  let usesDefault = false
  for (const service of mappings(doc.services)) {
    if (!('provider' in service) && !('network_mode' in service)) {
      if (!isMapping(service.networks) || Object.keys(service.networks).length === 0)
        service.networks = { default: null }
      if ('default' in (service.networks as Doc)) usesDefault = true
    }
    normalizedService(service, lookup)
  }
  if (usesDefault && !('default' in networks)) networks.default = null
  if (Object.keys(networks).length > 0) out.networks = networks
  for (const kind of ['networks', 'volumes', 'configs', 'secrets']) {
    if (!isMapping(out[kind])) continue
    out[kind] = Object.fromEntries(
      Object.entries(out[kind]).map(([key, r]) => {
        const resource: Doc = isMapping(r) ? { ...r } : {}
        if (resource.name === undefined || resource.name === null)
          resource.name = String(resource.external) === 'true' ? key : `${options.projectName}_${key}`
        return [key, resource]
      }),
    )
  }
  return out
}

function normalizedService(service: Doc, lookup: (name: string) => string | undefined): void {
  if (service.pull_policy === 'if_not_present') service.pull_policy = 'missing'
  if (isMapping(service.build)) {
    const build = service.build
    if (build.context === undefined || build.context === null) build.context = '.'
    if (build.dockerfile == null && build.dockerfile_inline == null) build.dockerfile = 'Dockerfile'
    if ('args' in build) build.args = resolved(build.args, lookup, false)
  }
  if ('environment' in service) service.environment = resolved(service.environment, lookup, true)
  const dependsOn: Doc = isMapping(service.depends_on) ? service.depends_on : {}
  const imply = (name: string, restart: boolean) => {
    if (!(name in dependsOn)) dependsOn[name] = started(restart)
  }
  for (const link of listOf(service.links)) {
    const parts = String(link).split(':')
    imply(parts.length === 2 ? parts[0]! : String(link), true)
  }
  for (const namespace of ['network_mode', 'ipc', 'pid', 'uts', 'cgroup']) {
    const ref = service[namespace]
    if (typeof ref === 'string' && ref.startsWith('service:')) imply(ref.slice('service:'.length), true)
  }
  for (const mount of listOf(service.volumes))
    if (isMapping(mount) && typeof mount.target === 'string')
      mount.target = posix.normalize(mount.target).replace(/(.)\/$/, '$1')
  for (const from of listOf(service.volumes_from))
    if (!String(from).startsWith('container:')) imply(String(from).split(':')[0]!, false)
  if (Object.keys(dependsOn).length > 0) service.depends_on = dependsOn
}

/** compose-go's `resolve`: names without a value given theirs from the environment, or kept (`keepEmpty`) or dropped. */
function resolved(value: unknown, lookup: (name: string) => string | undefined, keepEmpty: boolean): unknown {
  if (Array.isArray(value)) {
    const list = (value as unknown[]).flatMap((entry) => {
      if (typeof entry !== 'string' || entry.includes('=')) return [entry]
      const found = lookup(entry)
      return found !== undefined ? [`${entry}=${found}`] : keepEmpty ? [entry] : []
    })
    return list.length > 0 ? list : new GoNilList()
  }
  if (!isMapping(value)) return value
  return Object.fromEntries(
    Object.entries(value).flatMap(([key, v]): [string, unknown][] => {
      if (v !== null && v !== undefined) return [[key, v]]
      const found = lookup(key)
      return found !== undefined ? [[key, found]] : keepEmpty ? [[key, null]] : []
    }),
  )
}

/** An empty `dns` entry is left out, as compose-go leaves it out. */
function omitEmptyDns(doc: Doc): Doc {
  for (const service of mappings(doc.services))
    if (Array.isArray(service.dns)) {
      service.dns = service.dns.filter((d) => d !== null && d !== '')
    }
  return doc
}

function mappings(value: unknown): Doc[] {
  return isMapping(value) ? Object.values(value).filter(isMapping) : []
}

function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : []
}

function rewrite(doc: Doc, key: string, f: (value: unknown) => unknown): void {
  if (isMapping(doc[key])) doc[key] = Object.fromEntries(Object.entries(doc[key]).map(([k, v]) => [k, f(v)]))
}
