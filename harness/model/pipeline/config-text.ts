import { goYaml } from '../document/go-yaml.js'
import { goJson } from './go-json.js'
import { goYamlKeyOrder } from './go-key-order.js'
import { PROJECT_SHAPE, type Shape } from './go-shapes.js'

/**
 * Pure: the `config` document as the YAML Compose v2 prints, byte for byte: compose-go's project
 * through yaml.v3. A struct's fields come in their declared order (`image` after `healthcheck`),
 * its extensions after them, and a map's keys (services, networks, labels…) in Go's order.
 */
export function configYaml(doc: Record<string, unknown>): string {
  return goYaml(inGoOrder(doc, PROJECT_SHAPE)).trimEnd()
}

/**
 * Pure: the `config` document as the JSON Compose v2 prints: compose-go's `Project.MarshalJSON`,
 * a map (its keys sorted) of the name, the services, the networks, volumes, secrets and configs
 * when there are some, and the extensions. Each value is written as Go writes its struct (a
 * service's `command: null`, a network's `ipam: {}`, no extension inside a struct), indented as
 * `json.MarshalIndent` indents. The models are written too, which v2's JSON leaves out (the
 * divergence `reference-json-omits-models`).
 */
export function configJson(doc: Record<string, unknown>): string {
  const shapes = new Map(PROJECT_SHAPE.struct.map(([key, shape]) => [key, shape]))
  // The name and the services are written even when there are none (`--lock-image-digests`'s `"name": ""`).
  const whole: Record<string, unknown> = { name: '', services: {}, ...doc }
  const written = Object.keys(whole).sort()
  return goIndent(
    `{${written.map((key) => `${goJson(key, 'string')}:${goJson(whole[key], shapes.get(key) ?? 'as-is')}`).join(',')}}`,
    '  ',
  )
}

/** Pure: a plain model as JSON the way Go writes a `map[string]any` (`config --no-interpolate`). */
export function plainJson(value: unknown): string {
  return indentedJson(value, 'as-is')
}

/** Pure: `value` of `shape` as `json.MarshalIndent(value, "", indent)` writes it. */
export function indentedJson(value: unknown, shape: Shape, indent = '  '): string {
  return goIndent(goJson(value, shape), indent)
}

/**
 * `value` of `shape` as mappings (`Map`s, which keep their keys' order) in the order yaml.v3 writes
 * them: a struct's fields as declared, then its other keys (its extensions); any other mapping's
 * keys sorted.
 */
function inGoOrder(value: unknown, shape: Shape): unknown {
  if (Array.isArray(value)) return value.map((item) => inGoOrder(item, isShape(shape, 'list') ? shape.list : 'as-is'))
  if (value === null || typeof value !== 'object') return value
  const record = value as Record<string, unknown>
  const keys = Object.keys(record)
  if (!isShape(shape, 'struct')) {
    const of = isShape(shape, 'map') ? shape.map : 'as-is'
    return new Map(keys.sort(goYamlKeyOrder).map((key) => [key, inGoOrder(record[key], of)]))
  }
  // blkio's devices are written `path` and `rate`, whose shape has Go's JSON names (`Path`).
  const fieldOf = new Map(shape.struct.map(([key, of]) => [key.toLowerCase(), of]))
  const fields = shape.struct.flatMap(([field]) => keys.filter((key) => key.toLowerCase() === field.toLowerCase()))
  const others = keys.filter((key) => !fieldOf.has(key.toLowerCase())).sort(goYamlKeyOrder)
  return new Map(
    [...fields, ...others].map((key) => [key, inGoOrder(record[key], fieldOf.get(key.toLowerCase()) ?? 'as-is')]),
  )
}

function isShape<K extends 'list' | 'map' | 'struct'>(
  shape: Shape,
  kind: K,
): shape is Extract<Shape, Record<K, unknown>> {
  return typeof shape === 'object' && kind in shape
}

/** Compact JSON as `json.MarshalIndent(v, "", indent)` lays it out: an empty `{}` or `[]` stays on its line. */
function goIndent(compact: string, indent: string): string {
  const out: string[] = []
  let depth = 0
  for (let i = 0; i < compact.length; i++) {
    const c = compact[i]!
    if (c === '"') {
      const end = stringEnd(compact, i)
      out.push(compact.slice(i, end))
      i = end - 1
    } else if ((c === '{' || c === '[') && (compact[i + 1] === '}' || compact[i + 1] === ']')) {
      out.push(c, compact[++i]!)
    } else if (c === '{' || c === '[') out.push(c, `\n${indent.repeat(++depth)}`)
    else if (c === '}' || c === ']') out.push(`\n${indent.repeat(--depth)}`, c)
    else if (c === ',') out.push(`,\n${indent.repeat(depth)}`)
    else if (c === ':') out.push(': ')
    else out.push(c)
  }
  return out.join('')
}

/** Where the JSON string that starts at `start` ends (just past its closing quote). */
function stringEnd(text: string, start: number): number {
  let i = start + 1
  while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1
  return i + 1
}
