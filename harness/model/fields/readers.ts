import { unknownKey, type Problems } from '../document/compose-error.js'
import { describe, isScalar } from '../document/describe.js'
import { parseDuration } from '../document/duration.js'
import { asKeyValueMap, asNameMap, isMapping } from '../document/values.js'
import type { YamlPath } from '../document/where.js'

/** What a field reader needs: where to report problems, and the caller's view of the outside. */
export interface FieldContext {
  readonly problems: Problems
  readonly projectDirectory: string
  readonly lookup: (name: string) => string | undefined
  /** Reads a file the compose files refer to (`env_file`); undefined when it does not exist. */
  readonly readText: (absolutePath: string) => string | undefined
  /** `config --no-path-resolution`: the paths the model keeps stay as written (files it reads are still found). */
  readonly keepPaths?: boolean
  /** A service's `env_file`s are left unread (`config --services` and the other lists). */
  readonly leaveEnvFiles?: boolean
}

export function readString(value: unknown, path: YamlPath, ctx: FieldContext): string | undefined {
  if (typeof value === 'string') return value
  ctx.problems.add(path, `expected a string, got ${describe(value)}`)
  return undefined
}

export function readList(value: unknown, path: YamlPath, ctx: FieldContext): unknown[] {
  if (Array.isArray(value)) return value
  ctx.problems.add(path, `expected a list, got ${describe(value)}`)
  return []
}

/** A string or a list of strings (`dns`, `tmpfs`, `env_file`, …), always as a list. */
export function readStrings(value: unknown, path: YamlPath, ctx: FieldContext): string[] {
  if (typeof value === 'string') return [value]
  return readList(value, path, ctx).flatMap((item, i) => {
    if (isScalar(item)) return [String(item)]
    ctx.problems.add([...path, i], `expected a string, got ${describe(item)}`)
    return []
  })
}

/** A boolean as Compose v2 reads one: true or false, or the text `true` or `false` in any case (what `${VAR}` gives a boolean key); undefined otherwise. */
export function asBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value
  const text = typeof value === 'string' ? value.toLowerCase() : undefined
  return text === 'true' ? true : text === 'false' ? false : undefined
}

export function readBoolean(value: unknown, path: YamlPath, ctx: FieldContext): boolean | undefined {
  const bool = asBoolean(value)
  if (bool === undefined) ctx.problems.add(path, `expected true or false, got ${describe(value)}`)
  return bool
}

/** A list of strings (numbers taken as their text); unlike readStrings, a single string is refused, as Compose v2 refuses it. */
export function readStringList(value: unknown, path: YamlPath, ctx: FieldContext): string[] {
  if (typeof value === 'string') {
    ctx.problems.add(path, `expected a list, got ${describe(value)}`)
    return []
  }
  return readStrings(value, path, ctx)
}

export function readInteger(value: unknown, path: YamlPath, ctx: FieldContext, min = 0): number | undefined {
  const n = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value
  if (typeof n === 'number' && Number.isInteger(n) && n >= min) return n
  ctx.problems.add(path, `expected a whole number of at least ${min}, got ${describe(value)}`)
  return undefined
}

export function readDurationMs(value: unknown, path: YamlPath, ctx: FieldContext): number | undefined {
  const ms = typeof value === 'string' ? parseDuration(value) : undefined
  if (ms !== undefined) return ms
  ctx.problems.add(path, `expected a duration such as "10s", "1m30s" or "500ms", got ${describe(value)}`)
  return undefined
}

/**
 * A list of `KEY=value` or a mapping. A key with no value takes it from the environment or is
 * dropped (`environment`), or is empty (`labels`: pass `missing: 'empty'`).
 */
export function readKeyValues(
  value: unknown,
  path: YamlPath,
  ctx: FieldContext,
  missing: 'lookup' | 'empty' = 'lookup',
): Record<string, string> {
  if (!Array.isArray(value) && !isMapping(value)) {
    ctx.problems.add(path, `expected a list of KEY=value or a mapping, got ${describe(value)}`)
    return {}
  }
  const out: Record<string, string> = {}
  for (const [key, raw] of Object.entries(asKeyValueMap(value))) {
    if (raw === null || raw === undefined) {
      const fromEnv = missing === 'lookup' ? ctx.lookup(key) : ''
      if (fromEnv !== undefined) out[key] = fromEnv
    } else if (isScalar(raw)) {
      out[key] = String(raw)
    } else {
      ctx.problems.add([...path, key], `expected a string, number or boolean, got ${describe(raw)}`)
    }
  }
  return out
}

/** The keys of a `readKeyValues` list or mapping that have no value and that the environment does not set; none when there are none. */
export function readUnsetNames(value: unknown, _path: YamlPath, ctx: FieldContext): string[] | undefined {
  if (!Array.isArray(value) && !isMapping(value)) return undefined
  const unset = Object.entries(asKeyValueMap(value))
    .filter(([key, raw]) => (raw === null || raw === undefined) && ctx.lookup(key) === undefined)
    .map(([key]) => key)
  return unset.length > 0 ? unset : undefined
}

/**
 * `[a, b]` or `{a: {…}, b: null}` as entries, each with its settings as a mapping whose keys are
 * checked against `known`: the shape of `depends_on` and of a service's `networks`.
 */
export function readNamedSettings(
  value: unknown,
  path: YamlPath,
  ctx: FieldContext,
  what: string,
  known: readonly string[],
): [string, Record<string, unknown>][] {
  if (!Array.isArray(value) && !isMapping(value)) {
    ctx.problems.add(path, `expected a list of ${what} or a mapping, got ${describe(value)}`)
    return []
  }
  return Object.entries(asNameMap(value)).map(([name, raw]) => [
    name,
    readMapping(raw ?? {}, [...path, name], ctx, known),
  ])
}

/** Reports the keys of `value` that are not in `known` and returns it as a mapping (or {} when it is none). */
export function readMapping(
  value: unknown,
  path: YamlPath,
  ctx: FieldContext,
  known: readonly string[],
): Record<string, unknown> {
  if (!isMapping(value)) {
    ctx.problems.add(path, `expected a mapping, got ${describe(value)}`)
    return {}
  }
  for (const key of Object.keys(value)) {
    if (!known.includes(key) && !key.startsWith('x-')) ctx.problems.add([...path, key], unknownKey(known))
  }
  return value
}

/** A reader of one key's value: checks its shape, reports problems through `ctx`, and gives it in the model's terms. */
export type FieldReader = (value: unknown, path: YamlPath, ctx: FieldContext) => unknown

/** Which field of the model each key of a mapping gives, and how its value is read. */
export type FieldTable<T> = Readonly<Record<string, readonly [keyof T, FieldReader]>>

/** The fields that `raw`'s keys give, each read by its reader from `table`; a key not set (or null) is absent. */
export function readFields<T>(
  raw: Record<string, unknown>,
  table: FieldTable<T>,
  path: YamlPath,
  ctx: FieldContext,
): T {
  const out: Record<string, unknown> = {}
  for (const [key, [field, reader]] of Object.entries(table)) {
    if (raw[key] === undefined || raw[key] === null) continue
    const value = reader(raw[key], [...path, key], ctx)
    if (value !== undefined) out[field as string] = value
  }
  return out as T
}

/** One of `allowed`, or a value starting with one of `prefixes` (`service:NAME`, `container:NAME`). */
export const oneOf =
  (allowed: readonly string[], prefixes: readonly string[] = []): FieldReader =>
  (value, path, ctx) => {
    const text = readString(value, path, ctx)
    if (text === undefined || allowed.includes(text) || prefixes.some((p) => text.startsWith(p))) return text
    ctx.problems.add(
      path,
      `expected one of ${[...allowed, ...prefixes.map((p) => `${p}NAME`)].join(', ')}, got ${describe(value)}`,
    )
    return undefined
  }
