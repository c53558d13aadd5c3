import { isMapping } from '../document/values.js'

/** A list Go holds as nil: `[]` in YAML (see `withEmptyLists`), `null` in JSON. */
export class GoNilList extends Array<unknown> {
  toJSON(): null {
    return null
  }
}

/** The model to write as YAML, where Go writes a nil list as `[]`: each `GoNilList` a plain empty list. */
export function withEmptyLists(value: unknown): unknown {
  if (value instanceof GoNilList) return []
  if (Array.isArray(value)) return value.map(withEmptyLists)
  if (!isMapping(value)) return value
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withEmptyLists(v)]))
}
