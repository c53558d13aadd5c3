import { Problems } from '../document/compose-error.js'
import { isScalar } from '../document/describe.js'
import { isMapping } from '../document/values.js'
import { uniqueKeyValues } from '../merge/merge.js'
import { readVolumes } from '../fields/mount-fields.js'
import { parsePort } from '../fields/port-fields.js'
import { mountDocument, portDocument } from './to-compose.js'
import { GoNilList } from './go-nil-list.js'
import type { YamlPath } from '../document/where.js'

type Doc = Record<string, unknown>

/**
 * Pure: compose-go's canonical transforms, as it applies them to a model it does not interpolate
 * (`config --no-interpolate`): each short syntax that parses is written in its long form, and a
 * value that does not parse (`"${PORT}:80"`) is kept as written, with the rest of its list where
 * compose-go keeps the list whole (ports, `additional_contexts`). Then its defaults (a build's
 * context, a secret's target, a port's protocol and mode, a device request's count). Works on a
 * copy; keys stay in no particular order.
 */
export function canonicalRaw(doc: Doc, problems: Problems): Doc {
  const out: Doc = { ...doc }
  if (isMapping(doc.services))
    out.services = Object.fromEntries(
      Object.entries(doc.services).map(([name, s]) => {
        if (!isMapping(s)) return [name, s]
        checkUlimits(s.ulimits, ['services', name, 'ulimits'], problems)
        if (isMapping(s.build)) checkUlimits(s.build.ulimits, ['services', name, 'build', 'ulimits'], problems)
        return [name, canonicalService(s)]
      }),
    )
  for (const kind of ['volumes', 'networks', 'secrets', 'configs'])
    if (isMapping(doc[kind]))
      out[kind] = Object.fromEntries(Object.entries(doc[kind]).map(([key, r]) => [key, maybeExternal(r)]))
  return out
}

/**
 * A ulimit a variable keeps as text (`nofile: ${N}`) is refused, as compose-go refuses it when it
 * does not interpolate: its canonical form has no place for text there.
 */
function checkUlimits(ulimits: unknown, path: YamlPath, problems: Problems): void {
  if (!isMapping(ulimits)) return
  for (const [name, value] of Object.entries(ulimits))
    if (typeof value === 'string')
      problems.add(
        [...path, name],
        `expected a number or a mapping of soft and hard, got the text ${JSON.stringify(value)}`,
      )
}

const stringOrList = (value: unknown): unknown => (typeof value === 'string' ? [value] : value)
const listToKeys = (value: unknown): unknown =>
  Array.isArray(value) ? Object.fromEntries(value.map((name) => [String(name), null])) : value
const fileMount = (value: unknown): unknown => (typeof value === 'string' ? { source: value } : value)
const eachOf = (value: unknown, f: (item: unknown) => unknown): unknown => (Array.isArray(value) ? value.map(f) : value)

/** Each key's transform, as compose-go's table has them under `services.*`. */
const SERVICE_TRANSFORMS: Readonly<Record<string, (value: unknown) => unknown>> = {
  build: (value) => (typeof value === 'string' ? { context: value } : value),
  depends_on: dependsOn,
  env_file: (value) => eachOf(stringOrList(value), envFile),
  label_file: stringOrList,
  gpus: (value) => (typeof value === 'string' ? [{ count: 'all' }] : value),
  networks: listToKeys,
  models: listToKeys,
  volumes: (value) => eachOf(value, volumeMount),
  dns: stringOrList,
  devices: (value) => eachOf(value, deviceMapping),
  secrets: (value) => eachOf(value, fileMount),
  configs: (value) => eachOf(value, fileMount),
  ports: ports,
  develop: develop,
  // An empty list there is no command: compose-go's merge leaves it nil (`[]` in YAML, `null` in JSON).
  command: emptyAsNull,
  entrypoint: emptyAsNull,
}

function emptyAsNull(value: unknown): unknown {
  return Array.isArray(value) && value.length === 0 ? new GoNilList() : value
}

/** Lists compose-go keeps unique by key (the text before `=`, or the whole entry), the later entry in the earlier one's place. */
const UNIQUE_BY_KEY = [
  'environment',
  'labels',
  'annotations',
  'sysctls',
  'cap_add',
  'cap_drop',
  'dns',
  'dns_opt',
  'dns_search',
  'links',
  'profiles',
  'tmpfs',
]

function canonicalService(service: Doc): Doc {
  const unique = (doc: Doc, keys: readonly string[]) => {
    for (const key of keys) if (Array.isArray(doc[key])) doc[key] = uniqueKeyValues(doc[key] as unknown[])
  }
  const out = transformedService(service)
  unique(out, UNIQUE_BY_KEY)
  if (isMapping(out.build)) unique(out.build, ['args', 'labels', 'tags'])
  return out
}

function transformedService(service: Doc): Doc {
  const out: Doc = Object.fromEntries(
    Object.entries(service).map(([key, value]) => {
      const transform = SERVICE_TRANSFORMS[key]
      return [key, transform ? transform(value) : value]
    }),
  )
  if (isMapping(out.build)) out.build = canonicalBuild(out.build)
  if (Array.isArray(out.secrets)) out.secrets = out.secrets.map(secretTarget)
  if (Array.isArray(out.ports))
    out.ports = (out.ports as unknown[]).map((p) => (isMapping(p) ? { protocol: 'tcp', mode: 'ingress', ...p } : p))
  if (Array.isArray(out.gpus)) out.gpus = out.gpus.map(deviceCount)
  const reservations = (out.deploy as { resources?: { reservations?: { devices?: unknown } } } | undefined)?.resources
    ?.reservations
  if (isMapping(out.deploy) && Array.isArray(reservations?.devices)) {
    const deploy = out.deploy as { resources: Doc & { reservations: Doc } }
    out.deploy = {
      ...deploy,
      resources: {
        ...deploy.resources,
        reservations: { ...deploy.resources.reservations, devices: reservations.devices.map(deviceCount) },
      },
    }
  }
  return out
}

function canonicalBuild(build: Doc): Doc {
  const out: Doc = { context: '.', ...build }
  if (Array.isArray(build.secrets)) out.secrets = build.secrets.map(fileMount)
  for (const key of ['provenance', 'sbom'])
    if (key in build && typeof build[key] !== 'string') out[key] = String(build[key])
  if (Array.isArray(build.additional_contexts)) {
    const pairs = build.additional_contexts.map((e) => String(e).split(/=(.*)/s))
    if (pairs.every((p) => p.length > 1)) out.additional_contexts = Object.fromEntries(pairs.map(([k, v]) => [k, v]))
  }
  if (Array.isArray(build.ssh))
    out.ssh = Object.fromEntries(
      build.ssh.map((e) => {
        const [id, path] = String(e).split(/=(.*)/s)
        return [id, path ?? null]
      }),
    )
  return out
}

function dependsOn(value: unknown): unknown {
  if (Array.isArray(value))
    return Object.fromEntries(value.map((name) => [String(name), { condition: 'service_started', required: true }]))
  if (!isMapping(value)) return value
  return Object.fromEntries(
    Object.entries(value).map(([name, d]) => [
      name,
      isMapping(d) ? { condition: 'service_started', required: true, ...d } : d,
    ]),
  )
}

function envFile(item: unknown): unknown {
  if (typeof item === 'string') return { path: item, required: true }
  return isMapping(item) ? { required: true, ...item } : item
}

function develop(value: unknown): unknown {
  if (!isMapping(value) || !Array.isArray(value.watch)) return value
  return {
    ...value,
    watch: (value.watch as unknown[]).map((rule) =>
      isMapping(rule)
        ? {
            ...rule,
            ...('ignore' in rule && { ignore: stringOrList(rule.ignore) }),
            ...('include' in rule && { include: stringOrList(rule.include) }),
          }
        : rule,
    ),
  }
}

/** Every entry in its long form, or the list as written when one of them does not parse. */
function ports(value: unknown): unknown {
  if (!Array.isArray(value)) return value
  const out: unknown[] = []
  for (const entry of value) {
    if (!isScalar(entry)) {
      out.push(entry)
      continue
    }
    const parsed = parsePort(String(entry))
    if ('problem' in parsed) return value
    // compose-go orders a range's ports by their `PORT/PROTOCOL` text.
    const key = (p: { target: number; protocol: string }) => `${p.target}/${p.protocol}`
    out.push(...[...parsed].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)).map(portDocument))
  }
  return out
}

/** A short-syntax mount in its long form; kept as written when it does not parse. */
function volumeMount(item: unknown): unknown {
  if (typeof item !== 'string') return item
  const problems = new Problems(() => ({ file: '' }))
  const ctx = { problems, projectDirectory: '/', lookup: () => undefined, readText: () => undefined, keepPaths: true }
  const [mount] = readVolumes([item], ['volumes'], ctx)
  try {
    problems.throwIfAny()
  } catch {
    return item
  }
  if (!mount) return item
  const doc = mountDocument(mount)
  // compose-go's parse takes a text of one or two characters (`/a`) as a target alone, with no `volume` settings.
  if (item.length <= 2) delete doc.volume
  return doc
}

function deviceMapping(item: unknown): unknown {
  if (typeof item !== 'string') return item
  const parts = item.split(':')
  if (parts.length > 3) return { source: '', target: '', permissions: 'rwm' }
  const [source = '', target = source, permissions = 'rwm'] = parts
  return { source, target: target || source, permissions }
}

function maybeExternal(resource: unknown): unknown {
  if (!isMapping(resource) || !isMapping(resource.external)) return resource
  const { external } = resource
  return {
    ...resource,
    external: true,
    ...(!('name' in resource) && 'name' in external && { name: external.name }),
  }
}

function secretTarget(item: unknown): unknown {
  return isMapping(item) && !('target' in item) ? { ...item, target: `/run/secrets/${String(item.source)}` } : item
}

function deviceCount(item: unknown): unknown {
  return isMapping(item) && !('count' in item) && !('device_ids' in item) ? { ...item, count: 'all' } : item
}
