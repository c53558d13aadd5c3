/** Helpers for the plain values a parsed compose file holds: mappings, and the lists Compose also accepts as mappings. */

export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** `['A=1', 'B']` → `{ A: '1', B: null }`; a mapping stays as it is. */
export function asKeyValueMap(value: unknown): Record<string, unknown> {
  if (!Array.isArray(value)) return isMapping(value) ? value : {}
  const entries = value.map((item): [string, string | null] => {
    const text = String(item)
    const eq = text.indexOf('=')
    return eq < 0 ? [text, null] : [text.slice(0, eq), text.slice(eq + 1)]
  })
  return Object.fromEntries(entries)
}

/** `['db', 'cache']` → `{ db: {}, cache: {} }`; a mapping stays as it is. */
export function asNameMap(value: unknown): Record<string, unknown> {
  if (Array.isArray(value)) return Object.fromEntries(value.map((name) => [String(name), {}]))
  return isMapping(value) ? value : {}
}

/** A variable read as a switch, as Compose v2 reads its COMPOSE_* switches: `y`, `1`, `t` or `true` (any case, spaces around). */
export function isSwitchedOn(value: string | undefined): boolean {
  return ['y', '1', 't', 'true'].includes((value ?? '').trim().toLowerCase())
}

/** A value as Go's strconv.ParseBool reads it; undefined for one it refuses. */
export function goBoolean(value: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false
  return undefined
}
