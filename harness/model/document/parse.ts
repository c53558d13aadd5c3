import * as jsyaml from 'js-yaml'
import { CORE_SCHEMA, loadAll, YAMLException, type Type } from 'js-yaml'
import type { Document, LineCounter, Node } from 'yaml'
import { yamlLibrary } from './yaml-library.js'
import { ComposeError } from './compose-error.js'
import { describe } from './describe.js'
import { isMapping } from './values.js'
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
 * One compose file's documents, each to be taken as a file of its own and merged over the ones
 * before it, as Compose v2 takes the documents of a file (`---` between them). A file of one
 * document is that document. Values come from js-yaml, more than ten times faster on large files;
 * positions and the text of syntax errors come from `yaml`'s document model, built only when a
 * problem needs a place.
 */
export function parseComposeDocuments(file: string, text: string): ParsedCompose[] {
  let values: unknown[]
  try {
    values = loadAll(text, undefined, { schema: SCHEMA, filename: file })
  } catch (error) {
    if (!(error instanceof YAMLException)) throw error
    throw syntaxError(file, text, error)
  }
  if (values.length <= 1) return [onlyDocument(file, text, values[0])]
  let positions: { docs: Document[]; lines: LineCounter } | undefined
  const placed = () => (positions ??= withPositions(text))
  const documents = values.map((value, i) => {
    if (!isMapping(value)) {
      // Where its content starts, or its `---` when it has none.
      const doc = placed().docs[i]
      const start = doc?.contents?.range?.[0] ?? doc?.range?.[0]
      throw new ComposeError([
        {
          at: { file, ...(start !== undefined && placed().lines.linePos(start)) },
          path: [],
          detail: `document ${i + 1} of the file is ${value === null || value === undefined ? 'empty' : describe(value)}: each document of a compose file must be a mapping at the top level`,
        },
      ])
    }
    return parsedDocument(file, text, value, i, placed)
  })
  // Documents that are all `{}` make an empty file, as one does.
  if (documents.every((d) => isPlainEmpty(d.value)))
    throw new ComposeError([{ at: { file }, path: [], detail: 'empty compose file' }])
  return documents
}

/** The document of a file that has one, refused when it is empty or not a mapping. */
function onlyDocument(file: string, text: string, value: unknown): ParsedCompose {
  // Nothing but comments or blank lines, or `{}`: Compose v2 refuses it (a file with no services loads).
  if (value === undefined || value === null || isPlainEmpty(value))
    throw new ComposeError([{ at: { file }, path: [], detail: 'empty compose file' }])
  if (!isMapping(value))
    throw new ComposeError([{ at: { file }, path: [], detail: 'a compose file must be a mapping at the top level' }])
  return parsedDocument(file, text, value, 0, () => withPositions(text))
}

/** Document `index` of `text`, a mapping, placed by `placed` (the file's documents, read once). */
function parsedDocument(
  file: string,
  text: string,
  value: Record<string, unknown>,
  index: number,
  placed: () => { docs: Document[]; lines: LineCounter },
): ParsedCompose {
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
    if (!positions) {
      const { docs, lines } = placed()
      positions = { doc: docs[index]!, lines }
    }
    const offset = offsetOf(positions.doc.contents, path)
    return offset === undefined ? undefined : { file, ...positions.lines.linePos(offset) }
  }
  return { file, value, find }
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

function withPositions(text: string): { docs: Document[]; lines: LineCounter } {
  const { LineCounter, parseAllDocuments } = yamlLibrary()
  const lines = new LineCounter()
  const parsed = parseAllDocuments(text, { lineCounter: lines, merge: true, uniqueKeys: false })
  return { docs: Array.isArray(parsed) ? parsed : [], lines }
}

/** Every syntax error `yaml` finds, each at its place; js-yaml's own where only it objects. */
function syntaxError(file: string, text: string, error: YAMLException): ComposeError {
  const { LineCounter, parseAllDocuments } = yamlLibrary()
  const lines = new LineCounter()
  const parsed = parseAllDocuments(text, { lineCounter: lines, merge: true, uniqueKeys: true, prettyErrors: false })
  const errors = (Array.isArray(parsed) ? parsed : [parsed]).flatMap((doc: Document) => doc.errors)
  if (errors.length > 0) {
    return new ComposeError(
      errors.map((e) => ({
        at: { file, ...lines.linePos(e.pos[0]) },
        path: [],
        detail: `invalid YAML: ${e.message.split('\n')[0]}`,
      })),
    )
  }
  const at = { file, line: error.mark.line + 1, col: error.mark.column + 1 }
  // An anchor is known in its own document only (Compose v2 carries it over: see the divergence table).
  const scope =
    error.reason.startsWith('unidentified alias') && Array.isArray(parsed) && parsed.length > 1
      ? ': an anchor is known only in the document that writes it'
      : ''
  return new ComposeError([{ at, path: [], detail: `invalid YAML: ${error.reason}${scope}` }], { cause: error })
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
  return isMapping(value) && Object.keys(value).length === 0
}
