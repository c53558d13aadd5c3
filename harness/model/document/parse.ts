import * as jsyaml from 'js-yaml'
import { CORE_SCHEMA, load, YAMLException, type Type } from 'js-yaml'
import type { Document, LineCounter, Node } from 'yaml'
import { yamlLibrary } from './yaml-library.js'
import { ComposeError } from './compose-error.js'
import { OVERRIDE_KEY, RESET_KEY } from './merge-tags.js'
import type { Where, YamlPath } from './where.js'

/** One compose file read into plain values, still able to say where each value was written. */
export interface ParsedCompose {
  readonly file: string
  readonly value: Record<string, unknown>
  /** Where `path` was written in this file, or undefined when this file does not set it. */
  readonly find: (path: YamlPath) => Where | undefined
}

const TYPES = (jsyaml as unknown as { types: { merge: Type; int: Type } }).types
const LEGACY_OCTAL = /^[-+]?0[0-7]+$/

/**
 * Integers as Compose v2's YAML reader takes them: YAML 1.2's forms, and a leading zero meaning
 * octal (`mode: 0440` is 288), as Go reads numbers.
 */
const INT = new jsyaml.Type('tag:yaml.org,2002:int', {
  kind: 'scalar',
  resolve: (data: string) => LEGACY_OCTAL.test(data) || TYPES.int.resolve(data),
  construct: (data: string) =>
    LEGACY_OCTAL.test(data) ? Number.parseInt(data, 8) : (TYPES.int.construct(data) as number),
  predicate: TYPES.int.predicate!,
  represent: TYPES.int.represent!,
})

const KINDS = ['scalar', 'sequence', 'mapping'] as const
const EMPTY = { scalar: '', sequence: [], mapping: {} }

/**
 * `!reset` and `!override`, the Compose Specification's merge tags, on any kind of node: kept as
 * plain marker mappings (merge.ts), which every stage before the merge carries as it is.
 */
const MERGE_TAGS = KINDS.flatMap((kind) => [
  new jsyaml.Type('!reset', { kind, construct: () => ({ [RESET_KEY]: true }) }),
  new jsyaml.Type('!override', { kind, construct: (data: unknown) => ({ [OVERRIDE_KEY]: data ?? EMPTY[kind] }) }),
])

/** YAML 1.2's core types (no timestamps, no 1.1 booleans) plus merge keys and merge tags, as Compose reads files. */
const SCHEMA = CORE_SCHEMA.extend({ implicit: [INT, TYPES.merge], explicit: MERGE_TAGS })

/**
 * Values come from js-yaml, more than ten times faster on large files; positions and the text of
 * syntax errors come from `yaml`'s document model, built only when a problem needs a place.
 */
export function parseCompose(file: string, text: string): ParsedCompose {
  let value: unknown
  try {
    value = load(text, { schema: SCHEMA, filename: file })
  } catch (error) {
    if (!(error instanceof YAMLException)) throw error
    throw syntaxError(file, text, error)
  }
  // Nothing but comments or blank lines, or `{}`: Compose v2 refuses it (a file with no services loads).
  if (value === undefined || value === null || isPlainEmpty(value))
    throw new ComposeError([{ at: { file }, path: [], detail: 'empty compose file' }])
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ComposeError([{ at: { file }, path: [], detail: 'a compose file must be a mapping at the top level' }])
  }
  if (expandedSize(value) > EXPANDED_SIZE_LIMIT) {
    throw new ComposeError([
      {
        at: { file },
        path: [],
        detail: `the file expands to more than ${EXPANDED_SIZE_LIMIT / 1_000_000} MB once its YAML aliases are resolved: refused, as a bomb of aliases would exhaust memory`,
      },
    ])
  }
  let positions: { doc: Document; lines: LineCounter } | undefined
  const find = (path: YamlPath): Where | undefined => {
    positions ??= withPositions(text)
    const offset = offsetOf(positions.doc.contents, path)
    return offset === undefined ? undefined : { file, ...positions.lines.linePos(offset) }
  }
  return { file, value: value as Record<string, unknown>, find }
}

/**
 * Aliases make a small file stand for a huge document (each `*a` repeats all of `&a`), and every
 * later stage copies what it walks, strings included: the expanded size (a unit a value, plus the
 * length of every string and key) is bounded here, before anything expands it. A real file of 500
 * services is a few hundred thousand.
 */
const EXPANDED_SIZE_LIMIT = 16_000_000

/** The size of `value` with every alias expanded, computed without expanding (a shared node once); stops past the limit. */
function expandedSize(value: unknown, sizes = new Map<object, number>()): number {
  if (typeof value === 'string') return 1 + value.length
  if (value === null || typeof value !== 'object') return 1
  const known = sizes.get(value)
  if (known !== undefined) return known
  sizes.set(value, EXPANDED_SIZE_LIMIT + 1) // a cycle counts as too large
  let size = 1
  for (const [key, child] of Object.entries(value)) {
    size += key.length + expandedSize(child, sizes)
    if (size > EXPANDED_SIZE_LIMIT) break
  }
  sizes.set(value, size)
  return size
}

function withPositions(text: string): { doc: Document; lines: LineCounter } {
  const { LineCounter, parseDocument } = yamlLibrary()
  const lines = new LineCounter()
  return { doc: parseDocument(text, { lineCounter: lines, merge: true, uniqueKeys: false }), lines }
}

/** Every syntax error `yaml` finds, each at its place; js-yaml's own where only it objects. */
function syntaxError(file: string, text: string, error: YAMLException): ComposeError {
  const { LineCounter, parseDocument } = yamlLibrary()
  const lines = new LineCounter()
  const doc = parseDocument(text, { lineCounter: lines, merge: true, uniqueKeys: true, prettyErrors: false })
  if (doc.errors.length > 0) {
    return new ComposeError(
      doc.errors.map((e) => ({
        at: { file, ...lines.linePos(e.pos[0]) },
        path: [],
        detail: `invalid YAML: ${e.message.split('\n')[0]}`,
      })),
    )
  }
  const at = { file, line: error.mark.line + 1, col: error.mark.column + 1 }
  return new ComposeError([{ at, path: [], detail: `invalid YAML: ${error.reason}` }], { cause: error })
}

/** The offset of the key (for a mapping entry) or of the item at `path`; undefined when the file does not set it. */
function offsetOf(root: unknown, path: YamlPath): number | undefined {
  const { isMap, isPair, isScalar, isSeq } = yamlLibrary()
  let node = root
  let offset = (root as Node | null)?.range?.[0]
  for (const part of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(part))
      if (!pair) return undefined
      offset = (pair.key as Node).range?.[0]
      node = pair.value
    } else if (isSeq(node)) {
      // A name in a list-form entry (`depends_on: [db]`) is found by its value.
      node =
        typeof part === 'number'
          ? node.items[part]
          : node.items.find((item) => isScalar(item) && String(item.value) === part)
      offset = (node as Node | undefined)?.range?.[0]
    } else {
      return undefined
    }
  }
  return offset
}

function isPlainEmpty(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0
}
