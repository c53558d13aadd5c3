import { HarnessError } from '../../errors.js'
import { InterpolationFailure, substitute, type Lookup } from './interpolation-syntax.js'

export interface DotenvLine {
  readonly line: number
  readonly detail: string
}

export class DotenvError extends HarnessError {
  constructor(readonly problems: readonly DotenvLine[]) {
    super(problems.map((p) => `line ${p.line}: ${p.detail}`).join('\n'))
  }
}

/** A statement of the file that cannot be read: its problem, reported at the line it starts on. */
class StatementError extends Error {}

/**
 * Reads a `.env` or `env_file` file as compose-go reads it, statement by statement: `KEY=value`
 * (or `KEY: value`), an optional `export `, `#` comments; an unquoted value to the end of its line,
 * less a ` #` comment; a quoted one up to its closing quote, across lines, `\` escaping that quote;
 * single quotes literal, double quotes with `\n`-style escapes (`\$` a literal `$`); `${VAR}`
 * substituted from `lookup` and then the statements above (not inside single quotes): as in
 * compose-go, what `lookup` knows wins over the file's own values. A `KEY` alone takes its value
 * from `lookup`, when it has one. Every statement that cannot be read is reported, with its line.
 */
export function parseDotenv(text: string, lookup: Lookup = () => undefined): Record<string, string> {
  const values: Record<string, string> = {}
  const problems: DotenvLine[] = []
  const seen: Lookup = (name) => lookup(name) ?? values[name]
  let at = statementStart(text, 0)
  while (at < text.length) {
    try {
      const { key, next, inherited } = readKey(text, at)
      if (inherited) {
        const value = lookup(key)
        if (value !== undefined) values[key] = value
        at = statementStart(text, next)
        continue
      }
      const read = readValue(text, next, seen)
      values[key] = read.value
      at = statementStart(text, read.next)
    } catch (error) {
      if (!(error instanceof StatementError || error instanceof InterpolationFailure)) throw error
      problems.push({ line: lineAt(text, at), detail: error.message })
      at = statementStart(text, endOfLine(text, at))
    }
  }
  if (problems.length > 0) throw new DotenvError(problems)
  return values
}

/** The next statement's first character: white space, line breaks and `#` comment lines skipped. */
function statementStart(text: string, from: number): number {
  let at = from
  for (;;) {
    while (at < text.length && /\s/.test(text[at]!)) at++
    if (text[at] !== '#') return at
    at = endOfLine(text, at)
  }
}

function endOfLine(text: string, from: number): number {
  const eol = text.indexOf('\n', from)
  return eol < 0 ? text.length : eol + 1
}

function lineAt(text: string, at: number): number {
  return text.slice(0, at).split('\n').length
}

/** A space within a line (not a line break), as compose-go's parser tells them. */
const SPACE = /^[\t\v\f\r \u0085\u00a0]$/

/**
 * The key at `at`: after `export `, up to `=` or `:` (a value follows), or to the line's end (its
 * value is the environment's); letters, digits, `_`, `.`, `-`, `[` and `]`, spaces around it dropped.
 */
function readKey(text: string, at: number): { key: string; next: number; inherited: boolean } {
  const exported = /^export\s+/.exec(text.slice(at, at + 64))
  const start = exported ? at + exported[0].length : at
  let end = start
  while (end < text.length && !'=:\n'.includes(text[end]!)) {
    const char = text[end]!
    if (!SPACE.test(char) && !/[\p{L}\p{N}_.\-[\]]/u.test(char))
      throw new StatementError(
        `unexpected character ${JSON.stringify(char)} in variable name ${JSON.stringify(text.slice(at, endOfLine(text, at)).trimEnd())}`,
      )
    end++
  }
  const key = text.slice(start, end).replace(/[\s]+$/u, '')
  if (key.includes(' ')) throw new StatementError(`a key cannot contain a space: ${JSON.stringify(key)}`)
  let next = end + 1
  while (next < text.length && SPACE.test(text[next]!)) next++
  return { key, next, inherited: end >= text.length || text[end] === '\n' }
}

/** The value at `at` and where the statement ends. */
function readValue(text: string, at: number, lookup: Lookup): { value: string; next: number } {
  const quote = text[at]
  if (quote !== '"' && quote !== "'") {
    const next = endOfLine(text, at)
    const line = text.slice(at, next).replace(/\n$/, '')
    const hash = line.indexOf(' #')
    return { value: expand((hash < 0 ? line : line.slice(0, hash)).replace(/\s+$/u, ''), lookup), next }
  }
  let chars = ''
  let escaped = false
  for (let i = at + 1; i < text.length; i++) {
    const char = text[i]!
    if (char === quote && !escaped) {
      return { value: quote === '"' ? expand(withEscapes(chars), lookup) : chars, next: i + 1 }
    }
    if (char === '\\' && !escaped) {
      escaped = true
      continue
    }
    // A backslash before anything but the quote is kept, for the escapes of double quotes.
    if (escaped && char !== quote) chars += '\\'
    escaped = false
    chars += char
  }
  throw new StatementError(`the ${quote} quote is not closed`)
}

const ESCAPES: Readonly<Record<string, string>> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '"': '"',
  '\\': '\\',
  // A literal `$`: written `$$` for the substitution that follows.
  $: '$$',
}

/** A double-quoted value's escapes, as compose-go expands them: `\n`, `\t`…, `\$`, and `\0` with three octal digits. */
function withEscapes(text: string): string {
  return text.replace(/\\(?:[abcfnrtv$"\\]|0\d{0,3})/g, (match) => {
    if (!match.startsWith('\\0')) return ESCAPES[match[1]!] ?? match
    const digits = match.slice(2)
    return /^[0-7]{3}$/.test(digits) ? String.fromCharCode(Number.parseInt(digits, 8)) : match
  })
}

function expand(text: string, lookup: Lookup): string {
  return substitute(text, lookup, () => {})
}
