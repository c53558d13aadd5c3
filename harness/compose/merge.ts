import type { ParsedCompose } from './parse.js'
import type { Locate, YamlPath } from './where.js'

/** Several compose files merged the way `docker compose -f a.yml -f b.yml` merges them. */
export interface MergedCompose {
  readonly files: readonly string[]
  readonly value: Record<string, unknown>
  readonly locate: Locate
}

/** Service keys whose sequences are concatenated (without repeats) rather than replaced. */
const APPENDED = new Set([
  'cap_add', 'cap_drop', 'devices', 'dns', 'dns_opt', 'dns_search', 'env_file', 'expose',
  'external_links', 'group_add', 'links', 'ports', 'profiles', 'security_opt', 'tmpfs', 'volumes',
  'volumes_from',
])
/** Service keys written either as a list of `KEY=value` or as a mapping; merged key by key. */
const KEY_VALUE = new Set(['environment', 'labels', 'annotations', 'sysctls'])

export function mergeCompose(files: readonly ParsedCompose[]): MergedCompose {
  const [first, ...rest] = files
  if (!first) throw new Error('mergeCompose needs at least one file')
  let value = first.value
  for (const file of rest) value = mergeMapping(value, file.value, []) as Record<string, unknown>
  const locate: Locate = (path) => {
    for (let len = path.length; len >= 0; len--) {
      for (const file of [...files].reverse()) {
        const found = file.find(path.slice(0, len))
        if (found) return found
      }
    }
    return { file: first.file }
  }
  return { files: files.map((f) => f.file), value, locate }
}

function mergeMapping(base: Record<string, unknown>, over: Record<string, unknown>, path: YamlPath): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base }
  for (const [key, value] of Object.entries(over)) {
    out[key] = key in base ? mergeValue(base[key], value, [...path, key]) : value
  }
  return out
}

function mergeValue(base: unknown, over: unknown, path: YamlPath): unknown {
  const key = path[path.length - 1]
  const inService = path.length === 3 && path[0] === 'services'
  if (inService && typeof key === 'string') {
    if (KEY_VALUE.has(key)) return mergeMapping(asKeyValueMap(base), asKeyValueMap(over), path)
    if (key === 'build') return mergeMapping(asBuildMap(base), asBuildMap(over), path)
    if (key === 'depends_on' || key === 'networks') return mergeMapping(asNameMap(base), asNameMap(over), path)
    if (APPENDED.has(key) && Array.isArray(base) && Array.isArray(over)) return appendUnique(base, over)
  }
  if (isMapping(base) && isMapping(over)) return mergeMapping(base, over, path)
  return over
}

export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function appendUnique(base: unknown[], over: unknown[]): unknown[] {
  const seen = new Set(base.map((v) => JSON.stringify(v)))
  return [...base, ...over.filter((v) => !seen.has(JSON.stringify(v)))]
}

/** `['A=1', 'B']` → `{ A: '1', B: null }`; a mapping stays as it is. */
export function asKeyValueMap(value: unknown): Record<string, unknown> {
  if (!Array.isArray(value)) return isMapping(value) ? value : {}
  const entries = value.map((item) => {
    const text = String(item)
    const eq = text.indexOf('=')
    return eq < 0 ? [text, null] : [text.slice(0, eq), text.slice(eq + 1)]
  })
  return Object.fromEntries(entries)
}

function asBuildMap(value: unknown): Record<string, unknown> {
  return typeof value === 'string' ? { context: value } : isMapping(value) ? value : {}
}

/** `['db', 'cache']` → `{ db: {}, cache: {} }`; a mapping stays as it is. */
export function asNameMap(value: unknown): Record<string, unknown> {
  if (Array.isArray(value)) return Object.fromEntries(value.map((name) => [String(name), {}]))
  return isMapping(value) ? value : {}
}
