import { isMapping } from '../document/values.js'
import { PROJECT_SHAPE, type Shape } from './go-shapes.js'

type Doc = Record<string, unknown>

/**
 * Pure: a compose document (`toComposeDocument`'s) with the `x-` keys the files wrote inside a
 * service, a build, a port, a mount, a network and the rest of compose-go's structs, which the
 * model does not hold and Compose v2 prints back in YAML (its JSON leaves them out). `written` is
 * the merged document; an `x-` key is taken only where compose-go has a struct (never as a label,
 * a service or a network named `x-…`), and a list's entries are paired only when both lists have
 * as many.
 */
export function withWrittenExtensions(doc: Doc, written: Doc): Doc {
  return overlay(doc, written, PROJECT_SHAPE) as Doc
}

function overlay(value: unknown, written: unknown, shape: Shape): unknown {
  if (typeof shape !== 'object') return value
  if ('list' in shape) {
    if (!Array.isArray(value) || !Array.isArray(written) || value.length !== written.length) return value
    return value.map((item, i) => overlay(item, written[i], shape.list))
  }
  if (!isMapping(value) || !isMapping(written)) return value
  if ('map' in shape)
    return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, overlay(v, written[key], shape.map)]))
  const fields = new Map(shape.struct.map(([key, of]) => [key, of]))
  const own = Object.entries(value).map(([key, v]) => [key, overlay(v, written[key], fields.get(key) ?? 'as-is')])
  const extensions = Object.entries(written).filter(([key]) => key.startsWith('x-') && !(key in value))
  return Object.fromEntries([...own, ...extensions])
}
