import type { Problems } from '../document/compose-error.js'
import { InterpolationFailure, substitute, type Lookup } from './interpolation-syntax.js'
import type { ParsedCompose } from '../document/parse.js'
import type { YamlPath } from '../document/where.js'
import { typedAt } from './interpolated-types.js'

export interface Interpolated {
  readonly doc: ParsedCompose
  /** One warning for each variable that was used unset, naming where it was first used. */
  readonly warnings: readonly string[]
}

/**
 * Substitutes variables in every string value (never in keys) of one file, before it is merged,
 * as Compose does. Values of `x-` extensions are interpolated too. Reports every missing required
 * variable and every syntax error with the file, line and key.
 */
export function interpolate(doc: ParsedCompose, lookup: Lookup, problems: Problems): Interpolated {
  const unset = new Map<string, YamlPath>()
  // Aliases are walked once per use: parseCompose has bounded the expanded size already.
  const walk = (value: unknown, path: YamlPath): unknown => {
    if (typeof value === 'string') {
      try {
        const substituted = substitute(value, lookup, (name) => {
          if (!unset.has(name)) unset.set(name, path)
        })
        // compose-go types what interpolation changed where the key takes a number or a boolean.
        return substituted === value ? value : typedAt(path, substituted)
      } catch (error) {
        if (!(error instanceof InterpolationFailure)) throw error
        problems.addIn(doc, path, error.message)
        return value
      }
    }
    if (Array.isArray(value)) return value.map((item, i) => walk(item, [...path, i]))
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, [...path, k])]))
    }
    return value
  }
  const value = walk(doc.value, []) as Record<string, unknown>
  const warnings = [...unset].map(([name, path]) => {
    const at = doc.find(path)
    return `${doc.file}${at?.line ? `:${at.line}` : ''}: the "${name}" variable is not set. Defaulting to a blank string.`
  })
  return { doc: { ...doc, value }, warnings }
}
