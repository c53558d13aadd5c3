import { randomUUID } from 'node:crypto'
import type * as Yaml from 'yaml'
import { yamlLibrary } from './yaml-library.js'
import { yamlV3ReadsAsOther } from './yaml-v3-types.js'

/**
 * A plain value as YAML the way Go's YAML library (yaml.v3, which Compose v2 prints with) writes
 * it: two-space indents, no line folded; a string in double quotes where yaml.v3 would read it as
 * something else (`"y"`, `"80"`, `""`, a key `"n"`) or it holds a tab or a control character, in
 * single quotes where only its syntax needs quotes (`'a: b'`, `'#x'`), plain otherwise (`.`).
 * `order` sorts each mapping's keys (as Go sorts a map's); without it they stay in their order. A
 * `Map` is written as a mapping, its keys in its order (a plain object puts keys like `"80"` first).
 * `indent`: 2 as Compose v2's encoder is set to, 4 as `yaml.Marshal` writes.
 */
export function goYaml(value: unknown, order?: (a: string, b: string) => number, indent = 2): string {
  const { Document, isScalar, visit, YAMLMap } = yamlLibrary()
  // YAML 1.2's core schema: what it reads as another type, yaml.v3 reads so too (the reverse is quoting's).
  // sortMapEntries, a schema option, sorts the mappings createNode makes from plain objects.
  const doc = new Document(null, order && { sortMapEntries: (a, b) => order(String(a.key), String(b.key)) })
  const node = (v: unknown): unknown => {
    if (Array.isArray(v)) return doc.createNode(v.map(node))
    if (!(v instanceof Map)) return doc.createNode(v)
    const map = new YAMLMap()
    for (const [key, item] of v) map.items.push(doc.createPair(key, node(item)))
    return map
  }
  doc.contents = node(value) as typeof doc.contents
  // A string the library would not lay out as yaml.v3 does is written here: the library stands a
  // placeholder in its place, which it writes plain and which no string of the document holds.
  // What stands there may depend on the scalar's indentation (a line break inside it is followed
  // by it), which the placeholder's line tells.
  const written = new Map<string, (scalarIndent: number) => string>()
  const placeholder = `goyaml-${randomUUID()}-`
  visit(doc, {
    Scalar(_, scalar) {
      if (!isScalar(scalar) || typeof scalar.value !== 'string') return
      const layout = layoutOf(scalar.value, indent)
      if (layout === undefined) return
      if (typeof layout === 'string') {
        scalar.type = layout
        return
      }
      const stand = `${placeholder}${written.size}`
      written.set(stand, layout)
      scalar.value = stand
      scalar.type = 'PLAIN'
    },
  })
  const text = doc.toString({ lineWidth: 0, singleQuote: true, indent })
  if (written.size === 0) return text
  return text.replace(new RegExp(`${placeholder}\\d+(\n?)`, 'g'), (stand: string, end: string, at: number) => {
    const prefix = text.slice(text.lastIndexOf('\n', at - 1) + 1, at)
    // A mapping's value is indented from its key, a sequence's item from its dash.
    const lead = /^ *(?:- )*/.exec(prefix)![0].length
    const scalar = written.get(stand.slice(0, stand.length - end.length))!(prefix.endsWith(': ') ? lead + indent : lead)
    // A block that ends with a line break ends its line itself.
    return scalar.endsWith('\n') ? scalar : scalar + end
  })
}

/**
 * How yaml.v3 lays `value` out where the library would lay it out otherwise: the quotes to ask
 * the library for, or the text itself (given the scalar's indentation); undefined where both agree.
 */
function layoutOf(value: string, indent: number): Yaml.Scalar.Type | ((scalarIndent: number) => string) | undefined {
  const quotes = quoting(value)
  if (quotes === 'QUOTE_DOUBLE') return () => doubleQuoted(value)
  if (quotes === undefined && value.startsWith('\n')) return (at) => literalBlock(value, indent, at)
  if (quotes === undefined && /[\u2028\u2029]/.test(value) && !value.includes('\n'))
    return (at) => singleQuotedWithBreaks(value, at)
  return quotes
}

/**
 * A literal block as yaml.v3 writes it: `|`, its indentation (`|2`) where the text starts with a
 * space or a line break, its chomping (`-` without a final line break, `+` with two or more),
 * then each line indented and each empty line empty.
 */
function literalBlock(value: string, indent: number, at: number): string {
  const hint = /^[ \n\u0085\u2028\u2029]/.test(value) ? String(indent) : ''
  const chomp = !value.endsWith('\n') ? '-' : value === '\n' || value.endsWith('\n\n') ? '+' : ''
  const lines = value.split('\n').map((line) => (line === '' ? '' : ' '.repeat(at) + line))
  return `|${hint}${chomp}\n${lines.join('\n')}`
}

/** `value`, which holds a Unicode line or paragraph separator, in single quotes as yaml.v3 writes it: the text after a separator indented. */
function singleQuotedWithBreaks(value: string, at: number): string {
  const text = value.replaceAll("'", "''").replace(/([\u2028\u2029]+)(?=[^\u2028\u2029])/g, `$1${' '.repeat(at)}`)
  return `'${text}'`
}

/**
 * The quotes yaml.v3 puts on a string where the `yaml` library, left to itself, would choose other
 * ones; undefined where they agree (plain where it can be, a block for several lines).
 */
function quoting(value: string): Yaml.Scalar.Type | undefined {
  // A character yaml.v3 does not write as it is, a space before a line break or one after a
  // Unicode separator, takes escapes; a tab only on one line (several lines are a block, where a
  // tab is written as it is).
  const special = [...value].some((c) => c !== '\t' && !printable(c.codePointAt(0)!))
  if (special || / [\n\u2028\u2029]|[\u2028\u2029] /.test(value)) return 'QUOTE_DOUBLE'
  if (value.includes('\n')) return undefined
  if (value.includes('\t') || yamlV3ReadsAsOther(value)) return 'QUOTE_DOUBLE'
  // The library double-quotes a string with a single quote in it; yaml.v3 doubles the quote.
  if (value.includes("'") && !value.includes('"') && needsQuotes(value)) return 'QUOTE_SINGLE'
  return undefined
}

/** What yaml.v3 writes as it is (its `is_printable`): not a tab, a control character, a BOM, nor beyond U+FFFF. */
function printable(n: number): boolean {
  return (
    n === 0x0a || (n >= 0x20 && n <= 0x7e) || (n >= 0xa0 && n <= 0xd7ff) || (n >= 0xe000 && n <= 0xfffd && n !== 0xfeff)
  )
}

/** yaml.v3's short escapes. */
const ESCAPES = new Map([
  [0x00, '0'],
  [0x07, 'a'],
  [0x08, 'b'],
  [0x09, 't'],
  [0x0a, 'n'],
  [0x0b, 'v'],
  [0x0c, 'f'],
  [0x0d, 'r'],
  [0x1b, 'e'],
  [0x22, '"'],
  [0x5c, '\\'],
  [0x85, 'N'],
  [0xa0, '_'],
  [0x2028, 'L'],
  [0x2029, 'P'],
])

/**
 * `text` in double quotes as yaml.v3 writes it: a line break, a quote, a backslash and what is not
 * printable escaped; after a byte order mark at its start, every character (yaml.v3 looks for the
 * mark at the start of the text wherever it is in it).
 */
function doubleQuoted(text: string): string {
  const everything = text.startsWith('\uFEFF')
  const escaped = [...text].map((c) => {
    const n = c.codePointAt(0)!
    const short = ESCAPES.get(n)
    if (short !== undefined && (everything || n !== 0xa0)) return `\\${short}`
    if (printable(n) && !everything) return c
    const [letter, width] = n <= 0xff ? ['x', 2] : n <= 0xffff ? ['u', 4] : ['U', 8]
    return `\\${letter}${n.toString(16).toUpperCase().padStart(width, '0')}`
  })
  return `"${escaped.join('')}"`
}

/** Whether the `yaml` library quotes `value` written alone. */
function needsQuotes(value: string): boolean {
  return /^['"]/.test(yamlLibrary().stringify(value, { lineWidth: 0 }))
}
