import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml'
import { ComposeError } from './compose-error.js'
import type { Where, YamlPath } from './where.js'

/** One compose file read into plain values, still able to say where each value was written. */
export interface ParsedCompose {
  readonly file: string
  readonly value: Record<string, unknown>
  /** Where `path` was written in this file, or undefined when this file does not set it. */
  readonly find: (path: YamlPath) => Where | undefined
}

export function parseCompose(file: string, text: string): ParsedCompose {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, merge: true, uniqueKeys: true, prettyErrors: false })
  const at = (offset: number): Where => ({ file, ...lineCounter.linePos(offset) })
  if (doc.errors.length > 0) {
    throw new ComposeError(doc.errors.map((e) => ({ at: at(e.pos[0]), path: [], detail: yamlDetail(e.message) })))
  }
  const value: unknown = doc.toJS({ maxAliasCount: 1000 }) ?? {}
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ComposeError([{ at: { file }, path: [], detail: 'a compose file must be a mapping at the top level' }])
  }
  const find = (path: YamlPath): Where | undefined => {
    const offset = offsetOf(doc.contents, path)
    return offset === undefined ? undefined : at(offset)
  }
  return { file, value: value as Record<string, unknown>, find }
}

/** The offset of the key (for a mapping entry) or of the item at `path`; undefined when the file does not set it. */
function offsetOf(root: unknown, path: YamlPath): number | undefined {
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
      node = typeof part === 'number' ? node.items[part] : node.items.find((item) => isScalar(item) && String(item.value) === part)
      offset = (node as Node | undefined)?.range?.[0]
    } else {
      return undefined
    }
  }
  return offset
}

function yamlDetail(message: string): string {
  return `invalid YAML: ${message.split('\n')[0]}`
}
