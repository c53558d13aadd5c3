/**
 * The variables a compose file uses, as Compose v2's `config --variables` lists them: each
 * `$NAME` and `${NAME…}` in its values (those in defaults and alternatives too), whether it is
 * required (`?`), its default (`-`) and its alternative (`+`). `$$` is no variable.
 */
export interface DeclaredVariable {
  readonly name: string
  readonly required: boolean
  readonly defaultValue: string
  readonly presenceValue: string
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/

/**
 * The variables of every string value in `document` (not its keys), by name. A name used several
 * ways (`${A:-x}` and `${A}`) is listed by its last use; Compose v2 picks one of its uses at random
 * (it walks Go maps).
 */
export function variablesOf(document: unknown): Map<string, DeclaredVariable> {
  return new Map(usesOfVariables(document).map((v) => [v.name, v]))
}

/** Every use of a variable in `document`'s string values, in document order. */
export function usesOfVariables(document: unknown): DeclaredVariable[] {
  if (typeof document === 'string') return variablesIn(document)
  if (Array.isArray(document)) return document.flatMap(usesOfVariables)
  if (document !== null && typeof document === 'object') return Object.values(document).flatMap(usesOfVariables)
  return []
}

/** The variables of one string, in order. */
export function variablesIn(text: string): DeclaredVariable[] {
  const out: DeclaredVariable[] = []
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '$') continue
    const next = text[i + 1]
    if (next === '$') {
      i++
    } else if (next === '{') {
      const close = closingBrace(text, i + 2)
      if (close < 0) continue
      out.push(...braced(text.slice(i + 2, close)))
      i = close
    } else {
      const name = NAME.exec(text.slice(i + 1))?.[0]
      if (name) out.push({ name, required: false, defaultValue: '', presenceValue: '' })
    }
  }
  return out
}

/** What is between `${` and its `}`: the variable, then those of its default or alternative. */
function braced(inside: string): DeclaredVariable[] {
  const name = /^[A-Za-z0-9_]*/.exec(inside)![0]
  if (!name) return []
  const rest = inside.slice(name.length)
  const operator = /^:?[-+?]/.exec(rest)?.[0] ?? ''
  const word = rest.slice(operator.length)
  const variable = {
    name,
    required: operator.endsWith('?'),
    defaultValue: operator.endsWith('-') ? word : '',
    presenceValue: operator.endsWith('+') ? word : '',
  }
  const nested = variable.defaultValue || variable.presenceValue
  return [variable, ...(nested ? variablesIn(nested) : [])]
}

/** The index of the `}` that closes a `${` whose name starts at `start`, braces nested; -1 if none. */
function closingBrace(text: string, start: number): number {
  let depth = 1
  for (let i = start; i < text.length; i++) {
    if (text[i] === '{') depth++
    else if (text[i] === '}' && --depth === 0) return i
  }
  return -1
}
