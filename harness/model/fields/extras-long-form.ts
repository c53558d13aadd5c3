import { isScalar } from '../document/describe.js'
import { asBoolean } from './readers.js'
import { asKeyValueMap, isMapping } from '../document/values.js'
import { parseBytes } from './resource-fields.js'
import { shellWords } from '../document/shell-words.js'

/** Booleans Compose v2 leaves out of `config` when they are false. */
const OMITTED_WHEN_FALSE = ['privileged', 'read_only', 'tty', 'stdin_open', 'oom_kill_disable']
/** Booleans Compose v2 prints as written, even when false. */
const BOOLEANS = ['attach']
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
  for (const key of BOOLEANS) {
    const bool = asBoolean(out[key])
    if (bool !== undefined) out[key] = bool
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
  if (Array.isArray(out.secrets)) out.secrets = out.secrets.map((s) => fileModeText(secretReference(s)))
  if (Array.isArray(out.configs))
    out.configs = (out.configs as unknown[]).map((c) => fileModeText(typeof c === 'string' ? { source: c } : c))
  if (Array.isArray(out.devices)) out.devices = out.devices.map(device)
  if (out.pull_policy === 'if_not_present') out.pull_policy = 'missing'
  if (isMapping(out.blkio_config)) out.blkio_config = blkio(out.blkio_config)
  // A service's models in their long form, as Compose 2.40 prints them (kept as written for their checks' positions).
  if (Array.isArray(out.models)) out.models = Object.fromEntries(out.models.map((m) => [String(m), null]))
  if (out.gpus === 'all') out.gpus = [{ count: -1 }]
  else if (Array.isArray(out.gpus))
    out.gpus = (out.gpus as unknown[]).map((g) => (isMapping(g) && g.count === 'all' ? { ...g, count: -1 } : g))
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

/**
 * Keys kept in the form `config` prints them, so that its output loads again into the same model:
 * hooks (see `hook`), and a provider's options as lists of strings (as Compose 2.40 prints them). Anything of an unexpected shape is kept as written.
 */
export const PRINTED_AT_LOAD: Readonly<Record<string, (value: unknown) => unknown>> = {
  post_start: printedHooks,
  pre_start: printedHooks,
  pre_stop: printedHooks,
  provider: (value) =>
    isMapping(value) && isMapping(value.options) ? { ...value, options: stringLists(value.options) } : value,
}

/** Each value a list of strings: a scalar becomes a list of one. */
function stringLists(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(values).map(([key, v]) => [
      key,
      isScalar(v) ? [String(v)] : Array.isArray(v) && v.every(isScalar) ? v.map(String) : v,
    ]),
  )
}

/** A secret's or config's `mode` as Compose 2.40 prints it: octal digits with a leading 0 (`"0440"`). */
export function fileModeText(item: unknown): unknown {
  if (!isMapping(item) || typeof item.mode !== 'number') return item
  return { ...item, mode: item.mode === 0 ? '0' : `0${item.mode.toString(8)}` }
}

/** `/dev/a[:/dev/b[:rwm]]` → `{source, target, permissions}`, as v2 prints devices. */
function device(item: unknown): unknown {
  if (typeof item !== 'string') return item
  const [source, target = source, permissions = 'rwm'] = item.split(':')
  return { source, target, permissions }
}

/** Per-device rates as v2 prints them: bytes per second in bytes, and every rate as a string. */
function blkio(config: Record<string, unknown>): Record<string, unknown> {
  const out = { ...config }
  for (const key of ['device_read_bps', 'device_write_bps', 'device_read_iops', 'device_write_iops']) {
    if (!Array.isArray(out[key])) continue
    out[key] = (out[key] as unknown[]).map((entry) =>
      isMapping(entry) && entry.rate !== undefined
        ? { ...entry, rate: String(key.endsWith('bps') ? bytesText(entry.rate) : entry.rate) }
        : entry,
    )
  }
  return out
}

/** Lifecycle hooks as v2 prints them (see `hook`); anything but a list as written. */
export function printedHooks(value: unknown): unknown {
  return Array.isArray(value) ? value.map(hook) : value
}

/** A hook as v2 prints it: its command split as a shell would, its environment a mapping (unset names null). */
function hook(item: unknown): unknown {
  if (!isMapping(item)) return item
  const out = { ...item }
  if (typeof out.command === 'string') out.command = shellWords(out.command) ?? out.command
  if (Array.isArray(out.environment) || isMapping(out.environment))
    out.environment = Object.fromEntries(
      Object.entries(asKeyValueMap(out.environment)).map(([k, v]) => [k, v == null ? null : String(v)]),
    )
  return out
}
