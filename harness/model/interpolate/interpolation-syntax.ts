/**
 * Compose's variable syntax in one string: `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`,
 * `${VAR:?message}`, `${VAR?message}`, `${VAR:+alternative}`, `${VAR+alternative}`, with
 * substitutions nested inside defaults, and `$$` for a literal `$`; a `$` that starts no variable is kept.
 */
import { HarnessError } from '../../errors.js'

export type Lookup = (name: string) => string | undefined

export type InterpolationIssue =
  | { readonly kind: 'unset'; readonly name: string }
  | { readonly kind: 'required'; readonly name: string; readonly message: string }
  | { readonly kind: 'syntax'; readonly detail: string }

export class InterpolationFailure extends HarnessError {
  constructor(readonly issue: Exclude<InterpolationIssue, { kind: 'unset' }>) {
    super(issue.kind === 'syntax' ? issue.detail : issue.message)
  }
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/

/** Substitutes every variable; `onUnset` hears each unset one that has no default. Throws InterpolationFailure. */
export function substitute(text: string, lookup: Lookup, onUnset: (name: string) => void): string {
  const [out, end] = readUntil(text, 0, undefined, lookup, onUnset)
  if (end !== text.length) throw syntax(text, 'unexpected "}"')
  return out
}

/** Reads from `start` up to (not including) an unnested `stop` character, or to the end. */
function readUntil(
  text: string,
  start: number,
  stop: '}' | undefined,
  lookup: Lookup,
  onUnset: (name: string) => void,
): [string, number] {
  let out = ''
  let i = start
  while (i < text.length) {
    const c = text[i]!
    if (c === stop) return [out, i]
    if (c !== '$') {
      out += c
      i++
      continue
    }
    const next = text[i + 1]
    if (next === '$') {
      out += '$'
      i += 2
    } else if (next === '{') {
      const [value, end] = readBraced(text, i + 2, lookup, onUnset)
      out += value
      i = end + 1
    } else {
      const name = NAME.exec(text.slice(i + 1))?.[0]
      if (!name) {
        // As in Compose v2: a `$` that starts no variable (`costs $5`, a trailing `$`) stays as it is.
        out += '$'
        i++
        continue
      }
      const value = lookup(name)
      if (value === undefined) onUnset(name)
      out += value ?? ''
      i += 1 + name.length
    }
  }
  if (stop) throw syntax(text, 'a "${" is not closed by "}"')
  return [out, i]
}

/** `${…}` from just after the brace; returns the value and the index of the closing brace. */
function readBraced(text: string, start: number, lookup: Lookup, onUnset: (name: string) => void): [string, number] {
  const name = NAME.exec(text.slice(start))?.[0]
  if (!name) throw syntax(text, 'a "${" must start with a variable name')
  let i = start + name.length
  const value = lookup(name)
  if (text[i] === '}') {
    if (value === undefined) onUnset(name)
    return [value ?? '', i]
  }
  const operator = /^(:?[-?+])/.exec(text.slice(i))?.[1]
  if (!operator) throw syntax(text, `unexpected ${JSON.stringify(text[i] ?? 'end of text')} after \${${name}`)
  i += operator.length
  const colon = operator.startsWith(':')
  const set = colon ? value !== undefined && value !== '' : value !== undefined
  // The word is expanded only when it is used, so an unused default never warns.
  const quiet = (): void => {}
  const [word, end] = readUntil(
    text,
    i,
    '}',
    lookup,
    operator.endsWith('?') || set === operator.endsWith('+') ? onUnset : quiet,
  )
  switch (operator.at(-1)) {
    case '-':
      return [set ? value! : word, end]
    case '+':
      return [set ? word : '', end]
    default:
      if (set) return [value!, end]
      throw new InterpolationFailure({
        kind: 'required',
        name,
        message: `required variable ${name} is missing a value${word ? `: ${word}` : ''}`,
      })
  }
}

function syntax(text: string, detail: string): InterpolationFailure {
  return new InterpolationFailure({
    kind: 'syntax',
    detail: `invalid interpolation format in ${JSON.stringify(text)}: ${detail}`,
  })
}
