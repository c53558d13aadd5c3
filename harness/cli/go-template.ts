import { UsageError } from './usage-error.js'
import { table } from './commands/table.js'

/**
 * The `--format` templates of the docker CLI that `ps`, `volumes` and `stats` take, as Compose v2
 * takes them: Go's text/template over each row, with the docker CLI's functions (`json`, `join`,
 * `split`, `upper`, `lower`, `title`, `pad`, `truncate`, `println`); `table TEMPLATE` adds the
 * columns' headers and aligns them. `\t` and `\n` in the template are a tab and a new line.
 */

/** A row's fields by name (`Name`, `Image`…), as `--format json` prints it, and each field's column header. */
export interface TemplateRows {
  readonly rows: readonly Readonly<Record<string, unknown>>[]
  readonly headers: Readonly<Record<string, string>>
  /** The least width of a `table` column (the docker CLI's tabwriter: 10). */
  readonly minWidth?: number
}

/** Whether `format` is a template rather than one of the command's own words (`table`, `json`). */
export function isTemplate(format: string | undefined): format is string {
  return format !== undefined && format !== 'table' && format !== 'json'
}

/** The lines `format` gives for `rows`. */
export function renderTemplate(format: string, { rows, headers, minWidth = 10 }: TemplateRows): string[] {
  const isTable = format.startsWith('table')
  const source = (isTable ? format.slice('table'.length) : format)
    .trim()
    .replaceAll('\\t', '\t')
    .replaceAll('\\n', '\n')
  const template = parse(source)
  const lines = rows.map((row) => execute(template, row, false))
  if (!isTable) return lines
  const header = execute(template, headers, true)
  return table([header, ...lines].map((line) => line.split('\t')).map(padded), minWidth)
}

/** Rows of a table have as many cells as its widest row: Go's tabwriter pads what is missing. */
function padded(cells: string[], _: number, all: string[][]): string[] {
  const width = Math.max(...all.map((r) => r.length))
  return [...cells, ...Array<string>(width - cells.length).fill('')]
}

type Operand =
  | { readonly kind: 'dot' }
  | { readonly kind: 'field'; readonly path: readonly string[]; readonly at: number }
  | { readonly kind: 'literal'; readonly value: string | number }
  | { readonly kind: 'function'; readonly name: string; readonly at: number }

type Command = readonly Operand[]
type Part = { readonly text: string } | { readonly pipeline: readonly Command[]; readonly at: number }

const FUNCTIONS: Record<string, (...args: unknown[]) => unknown> = {
  json: (v) => goJson(v),
  join: (list, sep) => (Array.isArray(list) ? list.map(String).join(String(sep)) : String(list)),
  split: (text, sep) => String(text).split(String(sep)),
  upper: (v) => String(v).toUpperCase(),
  lower: (v) => String(v).toLowerCase(),
  title: (v) =>
    String(v).replace(/(^|[^\p{L}\p{N}'])(\p{L})/gu, (_, before: string, c: string) => before + c.toUpperCase()),
  pad: (v, left, right) => `${' '.repeat(Number(left))}${printed(v)}${' '.repeat(Number(right))}`,
  truncate: (v, n) => [...String(v)].slice(0, Number(n)).join(''),
  println: (...args) => `${args.map(printed).join(' ')}\n`,
}

/** The template's text and its actions (`{{ … }}`, `{{- … -}}` trimming the space beside them). */
function parse(source: string): Part[] {
  const parts: Part[] = []
  let rest = source
  let offset = 0
  for (;;) {
    const open = rest.indexOf('{{')
    if (open < 0) {
      if (rest) parts.push({ text: rest })
      return parts
    }
    const close = rest.indexOf('}}', open)
    if (close < 0) throw templateError(`:1: unclosed action`)
    let text = rest.slice(0, open)
    let body = rest.slice(open + 2, close)
    if (body.startsWith('-') && /^-\s/.test(body)) {
      text = text.trimEnd()
      body = body.slice(1)
    }
    let after = rest.slice(close + 2)
    if (/\s-$/.test(body)) {
      body = body.slice(0, -1)
      after = after.trimStart()
    }
    if (text) parts.push({ text })
    parts.push({ pipeline: parsePipeline(body, offset + open + 2), at: offset + open + 2 })
    offset += rest.length - after.length
    rest = after
  }
}

function parsePipeline(body: string, at: number): Command[] {
  const words = [...body.matchAll(/"(?:[^"\\]|\\.)*"|`[^`]*`|\||[^\s|]+/g)]
  const pipeline: Operand[][] = [[]]
  for (const word of words) {
    const w = word[0]
    const where = at + (word.index ?? 0)
    if (w === '|') pipeline.push([])
    else pipeline.at(-1)!.push(operandOf(w, where))
  }
  if (pipeline.some((c) => c.length === 0)) throw templateError(`:1:${at}: missing value for command`)
  return pipeline
}

function operandOf(word: string, at: number): Operand {
  if (word === '.') return { kind: 'dot' }
  if (word.startsWith('.')) return { kind: 'field', path: word.slice(1).split('.'), at }
  if (word.startsWith('"')) return { kind: 'literal', value: JSON.parse(word) as string }
  if (word.startsWith('`')) return { kind: 'literal', value: word.slice(1, -1) }
  if (/^-?\d+(\.\d+)?$/.test(word)) return { kind: 'literal', value: Number(word) }
  if (!(word in FUNCTIONS)) throw templateError(`:1: function "${word}" not defined`)
  return { kind: 'function', name: word, at }
}

function execute(parts: readonly Part[], row: Readonly<Record<string, unknown>>, header: boolean): string {
  return parts
    .map((part) => {
      if ('text' in part) return part.text
      let value: unknown
      for (const [i, command] of part.pipeline.entries()) {
        const piped = i === 0 ? [] : [value]
        value = run(command, row, header, piped)
      }
      return printed(value)
    })
    .join('')
}

function run(command: Command, row: Readonly<Record<string, unknown>>, header: boolean, piped: unknown[]): unknown {
  const [first, ...rest] = command as [Operand, ...Operand[]]
  const valueOf = (operand: Operand): unknown => {
    if (operand.kind === 'dot') return row
    if (operand.kind === 'literal') return operand.value
    if (operand.kind === 'function') throw templateError(`:1:${operand.at}: can't give argument to non-function`)
    return fieldOf(row, operand, header)
  }
  if (first.kind === 'function') {
    // A header row gives each field its column's header: functions leave it as it is.
    if (header) return rest.length > 0 ? valueOf(rest[0]!) : piped[0]
    return FUNCTIONS[first.name]!(...rest.map(valueOf), ...piped)
  }
  if (rest.length > 0 || piped.length > 0) throw templateError(`:1: can't give argument to non-function`)
  return valueOf(first)
}

function fieldOf(
  row: Readonly<Record<string, unknown>>,
  operand: Extract<Operand, { kind: 'field' }>,
  header: boolean,
): unknown {
  // A field the headers do not name prints as Go prints a missing map key.
  if (header) return row[operand.path[0]!] ?? '<no value>'
  let value: unknown = row
  for (const name of operand.path) {
    if (value === null || typeof value !== 'object' || !(name in value))
      throw templateError(
        `:1:${operand.at}: executing "" at <.${operand.path.join('.')}>: can't evaluate field ${name}`,
      )
    value = (value as Record<string, unknown>)[name]
  }
  return value
}

/** A value as Go's text/template prints it (fmt's %v). */
function printed(value: unknown): string {
  if (value === undefined || value === null) return '<no value>'
  if (typeof value === 'string') return value
  if (Array.isArray(value)) return `[${value.map(printed).join(' ')}]`
  if (typeof value === 'object')
    return `map[${Object.entries(value)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => `${k}:${printed(v)}`)
      .join(' ')}]`
  return typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint'
    ? String(value)
    : '<no value>'
}

/** JSON as Go's encoder writes it for `{{json …}}`: `<`, `>` and `&` escaped. */
function goJson(value: unknown): string {
  return JSON.stringify(value ?? null).replace(/[<>&]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

function templateError(detail: string): UsageError {
  return new UsageError(`template: ${detail}`)
}
