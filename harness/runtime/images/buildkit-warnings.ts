/**
 * Pure: the warnings BuildKit's status messages carry (a Dockerfile's lint checks, BuildKit 0.14 on:
 * `FromAsCasing: 'as' and 'FROM' keywords' casing do not match (line 1)`), decoded from protobuf
 * into what the harness shows and into the JSON Compose v2 writes of them under `--progress json`
 * (buildx's `client.VertexWarning` as Go's encoding/json has it: fields in their order, empty ones
 * left out, bytes in base64, map keys sorted).
 *
 *   VertexWarning { string vertex = 1; int64 level = 2; bytes short = 3; repeated bytes detail = 4;
 *                   string url = 5; SourceInfo info = 6; repeated Range ranges = 7; }
 *   SourceInfo { string filename = 1; bytes data = 2; Definition definition = 3; string language = 4; }
 *   Definition { repeated bytes def = 1; map<string, OpMetadata> metadata = 2; Source Source = 3; }
 *   OpMetadata { bool ignore_cache = 1; map<string, string> description = 2; ExportCache export_cache = 4;
 *                map<string, bool> caps = 5; ProgressGroup progress_group = 6; }
 *   Source { map<string, Locations> locations = 1; repeated SourceInfo infos = 2; }
 *   Locations { repeated Location locations = 1; }  Location { int32 sourceIndex = 1; repeated Range ranges = 2; }
 *   Range { Position start = 1; Position end = 2; }  Position { int32 line = 1; int32 character = 2; }
 */
import { wireFields, wireText } from './protobuf-wire.js'

export interface VertexWarning {
  /** The step it is about. */
  readonly vertex: string
  /** Its one line, as BuildKit's printer shows it. */
  readonly short: string
  /** The whole of it as Compose v2 writes it under `--progress json`. */
  readonly json: Readonly<Record<string, unknown>>
}

/** How a field is read: a scalar, bytes, a nested message, or a map of one of those. */
type Kind =
  | 'string'
  | 'bytes'
  | 'int'
  | 'bool'
  | { readonly message: Schema }
  | { readonly map: 'string' | 'bool' | { readonly message: Schema } }
/** A message's fields, in their number's order: number, JSON name, kind, repeated. */
type Schema = readonly (readonly [number, string, Kind, boolean?])[]

const POSITION: Schema = [
  [1, 'line', 'int'],
  [2, 'character', 'int'],
]
const RANGE: Schema = [
  [1, 'start', { message: POSITION }],
  [2, 'end', { message: POSITION }],
]
const LOCATION: Schema = [
  [1, 'sourceIndex', 'int'],
  [2, 'ranges', { message: RANGE }, true],
]
const OP_METADATA: Schema = [
  [1, 'ignore_cache', 'bool'],
  [2, 'description', { map: 'string' }],
  [4, 'export_cache', { message: [[1, 'Value', 'bool']] }],
  [5, 'caps', { map: 'bool' }],
  [
    6,
    'progress_group',
    {
      message: [
        [1, 'id', 'string'],
        [2, 'name', 'string'],
        [3, 'weak', 'bool'],
      ],
    },
  ],
]
// SourceInfo and Source refer to each other (a definition's source lists source infos).
const SOURCE_INFO: (readonly [number, string, Kind, boolean?])[] = []
const SOURCE: Schema = [
  [1, 'locations', { map: { message: [[1, 'locations', { message: LOCATION }, true]] } }],
  [2, 'infos', { message: SOURCE_INFO }, true],
]
const DEFINITION: Schema = [
  [1, 'def', 'bytes', true],
  [2, 'metadata', { map: { message: OP_METADATA } }],
  [3, 'Source', { message: SOURCE }],
]
SOURCE_INFO.push(
  [1, 'filename', 'string'],
  [2, 'data', 'bytes'],
  [3, 'definition', { message: DEFINITION }],
  [4, 'language', 'string'],
)
const WARNING: Schema = [
  [1, 'vertex', 'string'],
  [2, 'level', 'int'],
  [3, 'short', 'bytes'],
  [4, 'detail', 'bytes', true],
  [5, 'url', 'string'],
  [6, 'sourceInfo', { message: SOURCE_INFO }],
  [7, 'range', { message: RANGE }, true],
]

/** One field's value as Go's JSON has it (the empty ones Go leaves out are dropped by `decode`). */
function scalar(kind: 'string' | 'bytes' | 'int' | 'bool', field: { varint?: bigint; bytes?: Uint8Array }): unknown {
  if (kind === 'string') return wireText(field.bytes)
  if (kind === 'bytes') return Buffer.from(field.bytes ?? []).toString('base64')
  if (kind === 'int') return Number(BigInt.asIntN(64, field.varint ?? 0n))
  return field.varint !== undefined && field.varint !== 0n
}

/** A map entry's key and value (protobuf writes each as a message of fields 1 and 2). */
function entry(buf: Uint8Array, value: 'string' | 'bool' | { readonly message: Schema }): [string, unknown] {
  let key = ''
  let read: unknown = typeof value === 'string' ? scalar(value, {}) : {}
  for (const f of wireFields(buf)) {
    if (f.number === 1) key = wireText(f.bytes)
    else if (f.number === 2)
      read = typeof value === 'string' ? scalar(value, f) : decode(f.bytes ?? new Uint8Array(), value.message)
  }
  return [key, read]
}

/** Go's omitempty: an empty string, zero, false, or an empty list or map is left out. */
function empty(value: unknown): boolean {
  if (value === '' || value === 0 || value === false || value === undefined) return true
  if (Array.isArray(value)) return value.length === 0
  return false
}

/** A message decoded by its schema into Go's JSON of it. */
function decode(buf: Uint8Array, schema: Schema): Record<string, unknown> {
  const values = new Map<number, unknown>()
  for (const f of wireFields(buf)) {
    const spec = schema.find(([number]) => number === f.number)
    if (!spec) continue
    const [number, , kind, repeated] = spec
    let value: unknown
    if (typeof kind === 'string') value = scalar(kind, f)
    else if ('message' in kind) value = decode(f.bytes ?? new Uint8Array(), kind.message)
    else {
      const map = (values.get(number) as Record<string, unknown> | undefined) ?? {}
      const [key, read] = entry(f.bytes ?? new Uint8Array(), kind.map)
      map[key] = read
      values.set(number, map)
      continue
    }
    if (repeated) values.set(number, [...((values.get(number) as unknown[] | undefined) ?? []), value])
    else values.set(number, value)
  }
  const out: Record<string, unknown> = {}
  for (const [number, name, kind] of schema) {
    const value = values.get(number)
    if (empty(value)) continue
    // Go writes a map's keys sorted.
    out[name] =
      typeof kind === 'object' && 'map' in kind
        ? Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
        : value
  }
  return out
}

/** A `VertexWarning` of a status message. */
export function vertexWarning(buf: Uint8Array): VertexWarning {
  let vertex = ''
  let short = ''
  for (const f of wireFields(buf)) {
    if (f.number === 1) vertex = wireText(f.bytes)
    else if (f.number === 3) short = wireText(f.bytes)
  }
  return { vertex, short, json: decode(buf, WARNING) }
}
