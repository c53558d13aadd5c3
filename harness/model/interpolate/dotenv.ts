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

/**
 * Reads a `.env` or `env_file` file as Compose does: `KEY=value` lines, optional `export `,
 * `#` comments, single quotes literal, double quotes with `\n`-style escapes, and `${VAR}`
 * substitution from `lookup` and then the lines above (not inside single quotes): as in compose-go,
 * what `lookup` knows wins over the file's own values.
 */
export function parseDotenv(text: string, lookup: Lookup = () => undefined): Record<string, string> {
  const values: Record<string, string> = {}
  const problems: DotenvLine[] = []
  const seen: Lookup = (name) => lookup(name) ?? values[name]
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) return
    // `KEY=value`, or `KEY: value` as YAML writes it (Compose v2 reads both).
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*(?:[=:]\s*(.*))?$/.exec(line)
    if (!m) {
      problems.push({ line: index + 1, detail: `expected KEY=value, got ${JSON.stringify(raw)}` })
      return
    }
    const [, key, rawValue] = m
    if (rawValue === undefined) return
    try {
      values[key!] = readValue(rawValue, seen)
    } catch (error) {
      if (!(error instanceof InterpolationFailure)) throw error
      problems.push({ line: index + 1, detail: error.message })
    }
  })
  if (problems.length > 0) throw new DotenvError(problems)
  return values
}

function readValue(raw: string, lookup: Lookup): string {
  const quote = raw[0]
  if (quote === "'" || quote === '"') {
    const end = raw.indexOf(quote, 1)
    if (end < 0) throw new InterpolationFailure({ kind: 'syntax', detail: `the ${quote} quote is not closed` })
    const inner = raw.slice(1, end)
    if (quote === "'") return inner
    return expand(
      inner.replace(/\\([nrt"\\])/g, (_, c: string) => ({ n: '\n', r: '\r', t: '\t' })[c] ?? c),
      lookup,
    )
  }
  return expand(raw.replace(/\s+#.*$/, '').trim(), lookup)
}

function expand(text: string, lookup: Lookup): string {
  return substitute(text, lookup, () => {})
}
