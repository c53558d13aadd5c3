import { isScalar } from './describe.js'
import { asBoolean } from './field-context.js'
import { asKeyValueMap, isMapping } from './merge.js'
import { parseBytes } from './resource-fields.js'

/** Booleans Compose v2 leaves out of `config` when they are false. */
const OMITTED_WHEN_FALSE = ['privileged', 'read_only', 'tty', 'stdin_open', 'oom_kill_disable']
/** A string or a list of strings: always printed as a list of strings. */
const STRING_LISTS = [
  'dns',
  'dns_search',
  'dns_opt',
  'cap_add',
  'cap_drop',
  'security_opt',
  'device_cgroup_rules',
  'group_add',
  'external_links',
]
/** `KEY=value` lists or mappings: printed as a mapping of strings (a key without a value is ''). */
const STRING_MAPPINGS = ['sysctls', 'annotations']

/**
 * The service keys the model keeps as written (`extras`), in the shape Compose v2's `config`
 * prints them: short syntaxes in their long form, byte sizes in bytes, scalars as strings where v2
 * keeps strings. A value of an unexpected shape is left as written (the checks report it).
 */
export function printedExtras(extras: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...extras }
  for (const key of OMITTED_WHEN_FALSE) {
    const bool = asBoolean(out[key])
    if (bool === false) delete out[key]
    else if (bool !== undefined) out[key] = bool
  }
  for (const key of STRING_LISTS) {
    const value = out[key]
    if (isScalar(value)) out[key] = [String(value)]
    else if (Array.isArray(value) && value.every(isScalar)) out[key] = value.map(String)
  }
  for (const key of STRING_MAPPINGS) {
    if (Array.isArray(out[key]) || isMapping(out[key])) out[key] = stringMapping(out[key])
  }
  if (out.shm_size !== undefined) out.shm_size = bytesText(out.shm_size)
  if (typeof out.mem_swappiness === 'number') out.mem_swappiness = String(out.mem_swappiness)
  if (isMapping(out.logging) && isMapping(out.logging.options))
    out.logging = { ...out.logging, options: stringMapping(out.logging.options) }
  if (Array.isArray(out.secrets)) out.secrets = out.secrets.map((s) => secretReference(s))
  if (Array.isArray(out.configs))
    out.configs = (out.configs as unknown[]).map((c) => (typeof c === 'string' ? { source: c } : c))
  if (Array.isArray(out.devices)) out.devices = out.devices.map(device)
  return out
}

/** A byte size as v2 prints it: the number of bytes, as a string. */
export function bytesText(value: unknown): unknown {
  const bytes = parseBytes(value)
  return bytes === undefined ? value : String(bytes)
}

export function stringMapping(value: unknown): Record<string, string> {
  return Object.fromEntries(
    Object.entries(asKeyValueMap(value)).map(([k, v]) => [k, v === null || v === undefined ? '' : String(v)]),
  )
}

/** `db_password` → `{source, target: /run/secrets/db_password}`; the long form gets the same default target. */
function secretReference(item: unknown): unknown {
  if (typeof item === 'string') return { source: item, target: `/run/secrets/${item}` }
  if (isMapping(item) && typeof item.source === 'string' && item.target === undefined)
    return { ...item, target: `/run/secrets/${item.source}` }
  return item
}

/** `/dev/a[:/dev/b[:rwm]]` → `{source, target, permissions}`, as v2 prints devices. */
function device(item: unknown): unknown {
  if (typeof item !== 'string') return item
  const [source, target = source, permissions = 'rwm'] = item.split(':')
  return { source, target, permissions }
}
