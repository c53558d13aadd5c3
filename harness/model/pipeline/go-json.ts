/**
 * A service written as JSON byte for byte as Compose v2 writes it: Go's `encoding/json` on
 * compose-go's structs. Go writes a struct's fields in their declared order, a map's keys sorted,
 * leaves out what `omitempty` leaves out (a pointer only when absent, a struct never), escapes
 * `<`, `>` and `&`, and writes a float32 in its shortest form, following compose-go's shapes
 * (`go-shapes.ts`).
 */

import type { Shape } from './go-shapes.js'

/** The JSON Go writes for `value` read as `shape`. */
export function goJson(value: unknown, shape: Shape): string {
  if (value === null || value === undefined) return 'null'
  if (shape === 'string') return goString(String(value))
  if (shape === 'int') return String(Number(value))
  if (shape === 'bool') return value === true || value === 'true' ? 'true' : 'false'
  if (shape === 'float32') return float32Text(Number(value))
  if (shape === 'bytes') return goString(String(value))
  if (shape === 'as-is') return goValue(value)
  if ('list' in shape) return `[${(value as unknown[]).map((v) => goJson(v, shape.list)).join(',')}]`
  if ('map' in shape) {
    const keys = Object.keys(value).sort()
    return `{${keys.map((k) => `${goString(k)}:${goJson((value as Record<string, unknown>)[k], shape.map)}`).join(',')}}`
  }
  // A ulimit of one number, or a required env file, is written as that number or path; a ulimit
  // of 0 as its soft and hard limits, both 0 and so both left out (compose-go's MarshalJSON).
  if (typeof value !== 'object') return isZeroUlimit(value, shape) ? '{}' : goValue(value)
  const record = value as Record<string, unknown>
  // Go writes blkio's device fields capitalised (`Path`); the document has them in lower case.
  const at = (key: string) => record[key] ?? record[key.toLowerCase()]
  const written = shape.struct.filter(([key, fieldShape, presence = 'omit']) => {
    const v = at(key)
    if (presence === 'always') return true
    if (presence === 'pointer') return v !== undefined
    return !isEmpty(v, fieldShape)
  })
  return `{${written
    .map(([key, fieldShape, presence]) => {
      const v = at(key)
      const struct = typeof fieldShape === 'object' && 'struct' in fieldShape
      return `${goString(key)}:${presence === 'always' && struct && v === undefined ? goJson({}, fieldShape) : goJson(v, fieldShape)}`
    })
    .join(',')}}`
}

/**
 * `value` (a document of `shape`) without what Go's `omitempty` leaves out of it, at every depth:
 * a service as Compose v2 prints it, `cpu_count: 0`, `mem_limit: "0"` or `cpus: 0` left out (as
 * Go writes them, the same as unset) and a ulimit of 0 as `{}`. Keys the shape does not know stay.
 */
export function withoutEmpty(value: unknown, shape: Shape): unknown {
  if (isZeroUlimit(value, shape)) return {}
  if (value === null || typeof value !== 'object' || typeof shape !== 'object') return value
  if ('list' in shape) return Array.isArray(value) ? value.map((v) => withoutEmpty(v, shape.list)) : value
  if ('map' in shape) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutEmpty(v, shape.map)]))
  const fields = new Map(shape.struct.map((field) => [field[0], field]))
  return Object.fromEntries(
    Object.entries(value).flatMap(([key, v]) => {
      const field = fields.get(key)
      if (!field) return [[key, v]]
      const [, fieldShape, presence = 'omit'] = field
      return presence === 'omit' && isEmpty(v, fieldShape) ? [] : [[key, withoutEmpty(v, fieldShape)]]
    }),
  )
}

/** A ulimit of one number, 0: compose-go writes it as its struct, whose fields are then all left out. */
function isZeroUlimit(value: unknown, shape: Shape): boolean {
  return value === 0 && typeof shape === 'object' && 'struct' in shape && shape.struct.some(([k]) => k === 'single')
}

/** What `omitempty` leaves out: false, 0, "", and an empty list or map. */
function isEmpty(value: unknown, shape: Shape): boolean {
  if (value === undefined || value === null || value === false || value === '') return true
  if (shape === 'int' || shape === 'float32' || shape === 'bytes') return Number(value) === 0
  if (Array.isArray(value)) return value.length === 0
  if (typeof value === 'object') return Object.keys(value).length === 0
  return false
}

/**
 * A value with no shape of its own: maps sorted, as Go writes a `map[string]any`; a value with a
 * `toJSON` (a list Go holds as nil) as what that gives.
 */
function goValue(value: unknown): string {
  if (value === null || value === undefined) return 'null'
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function')
    return goValue((value as { toJSON(): unknown }).toJSON())
  if (typeof value === 'string') return goString(value)
  if (typeof value !== 'object') return String(value)
  if (Array.isArray(value)) return `[${value.map(goValue).join(',')}]`
  const keys = Object.keys(value).sort()
  return `{${keys.map((k) => `${goString(k)}:${goValue((value as Record<string, unknown>)[k])}`).join(',')}}`
}

/** A string as Go's encoder writes it: as JSON does, and `<`, `>`, `&`, U+2028 and U+2029 escaped. */
function goString(text: string): string {
  return JSON.stringify(text).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
}

/** The shortest decimal that reads back as the same float32, as Go writes a float32. */
function float32Text(n: number): string {
  const f = Math.fround(n)
  for (let digits = 1; digits <= 9; digits++) {
    const text = Number(f.toPrecision(digits))
    if (Math.fround(text) === f) return String(text)
  }
  return String(f)
}
