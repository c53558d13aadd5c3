import { isAbsolute, resolve } from 'node:path'
import type { Problems } from './compose-error.js'
import { describe, isScalar } from './describe.js'
import { asKeyValueMap, asNameMap, isMapping } from './merge.js'
import { shellWords } from './shell-words.js'
import type { BuildSpec, CommandSpec, DependencySpec, LinkSpec } from './types.js'
import type { YamlPath } from './where.js'

/** Reads one service key's value into its long form, reporting what is wrong to `problems`. */
export interface FieldContext {
  readonly problems: Problems
  readonly projectDirectory: string
  readonly lookup: (name: string) => string | undefined
}

const CONDITIONS = ['service_started', 'service_healthy', 'service_completed_successfully']
const APPLIED_CONDITIONS = ['service_started']
const HOSTNAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/

export function readString(value: unknown, path: YamlPath, ctx: FieldContext): string | undefined {
  if (typeof value === 'string') return value
  ctx.problems.add(path, `expected a string, got ${describe(value)}`)
  return undefined
}

function readList(value: unknown, path: YamlPath, ctx: FieldContext): unknown[] {
  if (Array.isArray(value)) return value
  ctx.problems.add(path, `expected a list, got ${describe(value)}`)
  return []
}

export function readBuild(value: unknown, path: YamlPath, ctx: FieldContext): BuildSpec | undefined {
  const build = typeof value === 'string' ? { context: value } : value
  if (!isMapping(build)) {
    ctx.problems.add(path, `expected a string (the context) or a mapping, got ${describe(value)}`)
    return undefined
  }
  const context = build.context === undefined ? '.' : readString(build.context, [...path, 'context'], ctx)
  const dockerfile = build.dockerfile === undefined ? 'Dockerfile' : readString(build.dockerfile, [...path, 'dockerfile'], ctx)
  const target = build.target === undefined ? undefined : readString(build.target, [...path, 'target'], ctx)
  const args = readKeyValues(build.args ?? {}, [...path, 'args'], ctx)
  for (const key of Object.keys(build).filter((k) => !['context', 'dockerfile', 'args', 'target'].includes(k))) {
    ctx.problems.add([...path, key], 'is not supported by compose-harness yet')
  }
  if (context === undefined || dockerfile === undefined) return undefined
  const absolute = isAbsolute(context) ? context : resolve(ctx.projectDirectory, context)
  return { context: absolute, dockerfile, args, ...(target === undefined ? {} : { target }) }
}

/** `2000`, `"2000"`, `"2000/udp"`, `"3000-3002"` → `['2000/tcp']` … one entry a port. */
export function readExpose(value: unknown, path: YamlPath, ctx: FieldContext): string[] {
  return readList(value, path, ctx).flatMap((item, i) => {
    const m = isScalar(item) ? /^(\d+)(?:-(\d+))?(?:\/(tcp|udp|sctp))?$/.exec(String(item)) : null
    const from = Number(m?.[1])
    const to = m?.[2] === undefined ? from : Number(m[2])
    if (!m || !isPort(from) || !isPort(to) || to < from) {
      ctx.problems.add([...path, i], `expected a container port or range such as "2000" or "3000-3005/udp", got ${describe(item)}`)
      return []
    }
    return Array.from({ length: to - from + 1 }, (_, k) => `${from + k}/${m[3] ?? 'tcp'}`)
  })
}

function isPort(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= 65535
}

/** `svc` or `svc:alias`. */
export function readLinks(value: unknown, path: YamlPath, ctx: FieldContext): LinkSpec[] {
  return readList(value, path, ctx).flatMap((item, i) => {
    const [service, alias = service, ...extra] = typeof item === 'string' ? item.split(':') : []
    if (!service || extra.length > 0 || !HOSTNAME.test(alias!)) {
      ctx.problems.add([...path, i], `expected "service" or "service:alias", got ${describe(item)}`)
      return []
    }
    return [{ service, alias: alias! }]
  })
}

export function readDependsOn(value: unknown, path: YamlPath, ctx: FieldContext): Record<string, DependencySpec> {
  if (!Array.isArray(value) && !isMapping(value)) {
    ctx.problems.add(path, `expected a list of services or a mapping, got ${describe(value)}`)
    return {}
  }
  const out: Record<string, DependencySpec> = {}
  for (const [name, raw] of Object.entries(asNameMap(value))) {
    const at = [...path, name]
    const entry = isMapping(raw) ? raw : {}
    const condition = entry.condition ?? 'service_started'
    if (typeof condition !== 'string' || !CONDITIONS.includes(condition)) {
      ctx.problems.add([...at, 'condition'], `expected one of ${CONDITIONS.join(', ')}, got ${describe(condition)}`)
      continue
    }
    if (!APPLIED_CONDITIONS.includes(condition)) {
      ctx.problems.add([...at, 'condition'], `${condition} is not supported by compose-harness yet`)
      continue
    }
    out[name] = {
      condition: condition as DependencySpec['condition'],
      required: readBoolean(entry.required ?? true, [...at, 'required'], ctx),
      restart: readBoolean(entry.restart ?? false, [...at, 'restart'], ctx),
    }
  }
  return out
}

function readBoolean(value: unknown, path: YamlPath, ctx: FieldContext): boolean {
  if (typeof value === 'boolean') return value
  ctx.problems.add(path, `expected true or false, got ${describe(value)}`)
  return false
}

/** A list of `KEY=value` or a mapping; a key with no value takes it from the environment, or is dropped. */
export function readKeyValues(value: unknown, path: YamlPath, ctx: FieldContext): Record<string, string> {
  if (!Array.isArray(value) && !isMapping(value)) {
    ctx.problems.add(path, `expected a list of KEY=value or a mapping, got ${describe(value)}`)
    return {}
  }
  const out: Record<string, string> = {}
  for (const [key, raw] of Object.entries(asKeyValueMap(value))) {
    if (raw === null || raw === undefined) {
      const fromEnv = ctx.lookup(key)
      if (fromEnv !== undefined) out[key] = fromEnv
    } else if (isScalar(raw)) {
      out[key] = String(raw)
    } else {
      ctx.problems.add([...path, key], `expected a string, number or boolean, got ${describe(raw)}`)
    }
  }
  return out
}

export function readCommand(value: unknown, path: YamlPath, ctx: FieldContext): CommandSpec | undefined {
  if (value === null) return undefined
  if (typeof value === 'string') {
    const args = shellWords(value)
    if (args) return { form: 'string', text: value, args }
    ctx.problems.add(path, `has an unterminated quote: ${value}`)
    return undefined
  }
  if (Array.isArray(value) && value.every(isScalar)) return { form: 'exec', args: value.map(String) }
  ctx.problems.add(path, `expected a string or a list of strings, got ${describe(value)}`)
  return undefined
}
