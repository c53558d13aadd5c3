import { isAbsolute, resolve } from 'node:path'
import { describe, isScalar } from '../document/describe.js'
import { DotenvError, parseDotenv } from '../interpolate/dotenv.js'
import {
  readBoolean,
  readKeyValues,
  readList,
  readMapping,
  readNamedSettings,
  readString,
  readStrings,
  type FieldContext,
} from './readers.js'
import { isMapping } from '../document/values.js'
import { readBuildSettings } from './build-fields.js'
import { readExtraHosts } from './network-fields.js'
import { shellWords } from '../document/shell-words.js'
import type { BuildSpec, CommandSpec, DependencySpec, EnvFileSpec, LinkSpec } from '../project/types.js'
import type { YamlPath } from '../document/where.js'

const CONDITIONS = ['service_started', 'service_healthy', 'service_completed_successfully']
const HOSTNAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/

/** The build keys of the specification beside context, dockerfile, args and target: kept as written. */
export const BUILD_OPTIONS = [
  'dockerfile_inline',
  'labels',
  'cache_from',
  'cache_to',
  'no_cache',
  'pull',
  'network',
  'extra_hosts',
  'shm_size',
  'tags',
  'platforms',
  'secrets',
  'ssh',
  'additional_contexts',
  'ulimits',
  'privileged',
  'entitlements',
  'isolation',
  'provenance',
  'sbom',
]

/** A context Compose hands to the builder as it is: a git repository or an HTTP(S) archive. */
export function isRemoteContext(context: string): boolean {
  return /^(https?:\/\/|git@|git:\/\/|ssh:\/\/|github\.com\/)/.test(context)
}

export function readBuild(value: unknown, path: YamlPath, ctx: FieldContext): BuildSpec | undefined {
  const build = readMapping(typeof value === 'string' ? { context: value } : value, path, ctx, [
    'context',
    'dockerfile',
    'args',
    'target',
    ...BUILD_OPTIONS,
  ])
  const context = build.context === undefined ? '.' : readString(build.context, [...path, 'context'], ctx)
  const dockerfile =
    build.dockerfile === undefined ? 'Dockerfile' : readString(build.dockerfile, [...path, 'dockerfile'], ctx)
  const target = build.target === undefined ? undefined : readString(build.target, [...path, 'target'], ctx)
  const args = readKeyValues(build.args ?? {}, [...path, 'args'], ctx)
  if (build.dockerfile !== undefined && build.dockerfile_inline !== undefined)
    ctx.problems.add([...path, 'dockerfile_inline'], 'cannot be combined with dockerfile')
  if (context === undefined || dockerfile === undefined) return undefined
  const options = Object.fromEntries(BUILD_OPTIONS.filter((k) => build[k] !== undefined).map((k) => [k, build[k]]))
  readBuildOptions(options, path, ctx)
  const settings = readBuildSettings(build, path, ctx)
  return {
    context: isRemoteContext(context) ? context : storedPath(context, ctx),
    dockerfile,
    args,
    ...(target !== undefined && { target }),
    options,
    settings: {
      ...settings,
      ...(isMapping(options.extra_hosts) && { extraHosts: options.extra_hosts as Record<string, string[]> }),
    },
  }
}

/** `C:\data`, `C:/data` or `\\server\share`: absolute on Windows, kept as written, as Compose v2 keeps it. */
export function isWindowsAbsolute(path: string): boolean {
  return /^[a-zA-Z]:[\\/]|^\\\\/.test(path)
}

/**
 * A path the model keeps (a build context, a bind mount's source, an env file's, a secret's file…):
 * resolved as `absolutePath` resolves it, or as written under `config --no-path-resolution`.
 */
export function storedPath(path: string, ctx: FieldContext): string {
  return ctx.keepPaths ? path : absolutePath(path, ctx)
}

/** A path as Compose resolves it: `~` is the home directory, relative paths start at the project directory. */
export function absolutePath(path: string, ctx: FieldContext): string {
  const home = path === '~' || path.startsWith('~/') ? `${ctx.lookup('HOME') ?? '~'}${path.slice(1)}` : path
  return isAbsolute(home) || isWindowsAbsolute(home) ? home : resolve(ctx.projectDirectory, home)
}

/** `2000`, `"2000"`, `"2000/udp"`, `"3000-3002"` → `['2000/tcp']` … one entry a port. */
export function readExpose(value: unknown, path: YamlPath, ctx: FieldContext): string[] {
  return readList(value, path, ctx).flatMap((item, i) => {
    const m = isScalar(item) ? /^(\d+)(?:-(\d+))?(?:\/(tcp|udp|sctp))?$/.exec(String(item)) : null
    const from = Number(m?.[1])
    const to = m?.[2] === undefined ? from : Number(m[2])
    if (!m || !isPort(from) || !isPort(to) || to < from) {
      ctx.problems.add(
        [...path, i],
        `expected a container port or range such as "2000" or "3000-3005/udp", got ${describe(item)}`,
      )
      return []
    }
    return [String(item)]
  })
}

export function isPort(n: number): boolean {
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
  const out: Record<string, DependencySpec> = {}
  for (const [name, entry] of readNamedSettings(value, path, ctx, 'services', ['condition', 'required', 'restart'])) {
    const at = [...path, name]
    const condition = entry.condition ?? 'service_started'
    if (typeof condition !== 'string' || !CONDITIONS.includes(condition)) {
      ctx.problems.add([...at, 'condition'], `expected one of ${CONDITIONS.join(', ')}, got ${describe(condition)}`)
      continue
    }
    out[name] = {
      condition: condition as DependencySpec['condition'],
      required: readBoolean(entry.required ?? true, [...at, 'required'], ctx) ?? true,
      restart: readBoolean(entry.restart ?? false, [...at, 'restart'], ctx) ?? false,
    }
  }
  return out
}

export function readCommand(value: unknown, path: YamlPath, ctx: FieldContext): CommandSpec | undefined {
  if (value === null) return undefined
  if (typeof value === 'string') {
    const args = shellWords(value)
    if (args) return args
    ctx.problems.add(path, `has an unterminated quote: ${value}`)
    return undefined
  }
  if (Array.isArray(value) && value.every(isScalar)) return value.map(String)
  ctx.problems.add(path, `expected a string or a list of strings, got ${describe(value)}`)
  return undefined
}

/** The variables of every `env_file`, later files winning; a missing required file is a problem. */
export function readServiceEnvFiles(value: unknown, path: YamlPath, ctx: FieldContext): Record<string, string> {
  const entries = typeof value === 'string' ? [value] : readList(value, path, ctx)
  let out: Record<string, string> = {}
  entries.forEach((entry, i) => {
    const at = typeof value === 'string' ? path : [...path, i]
    const spec =
      typeof entry === 'string' ? { path: entry } : readMapping(entry, at, ctx, ['path', 'required', 'format'])
    const file = readString(spec.path, typeof entry === 'string' ? at : [...at, 'path'], ctx)
    if (file === undefined) return
    const required = spec.required === undefined ? true : readBoolean(spec.required, [...at, 'required'], ctx)
    const absolute = absolutePath(file, ctx)
    if (ctx.leaveEnvFiles) return
    const text = ctx.readText(absolute)
    if (text === undefined) {
      if (required !== false) ctx.problems.add(at, `env file ${absolute} not found`)
      return
    }
    try {
      out = { ...out, ...parseDotenv(text, ctx.lookup) }
    } catch (error) {
      if (!(error instanceof DotenvError)) throw error
      for (const p of error.problems) ctx.problems.add(at, `${absolute}:${p.line}: ${p.detail}`)
    }
  })
  return out
}

/** `env_file` as written, its paths absolute: Compose v2's `config --hash` covers the list itself, not what the files hold. */
export function readEnvFileEntries(value: unknown, path: YamlPath, ctx: FieldContext): EnvFileSpec[] {
  const entries = typeof value === 'string' ? [value] : Array.isArray(value) ? value : []
  return entries.flatMap((entry): EnvFileSpec[] => {
    const spec = typeof entry === 'string' ? { path: entry } : isMapping(entry) ? entry : {}
    if (typeof spec.path !== 'string') return []
    return [
      {
        path: storedPath(spec.path, ctx),
        required: spec.required !== false && spec.required !== 'false',
        ...(typeof spec.format === 'string' && { format: spec.format }),
      },
    ]
  })
}

/** The labels of every `label_file` (KEY=value lines, as in an env file), later files winning; a missing file is a problem. */
export function readLabelFiles(value: unknown, path: YamlPath, ctx: FieldContext): Record<string, string> {
  let out: Record<string, string> = {}
  readStrings(value, path, ctx).forEach((file, i) => {
    const at = typeof value === 'string' ? path : [...path, i]
    const absolute = absolutePath(file, ctx)
    const text = ctx.readText(absolute)
    if (text === undefined) return ctx.problems.add(at, `label file ${absolute} not found`)
    try {
      out = { ...out, ...parseDotenv(text, () => undefined) }
    } catch (error) {
      if (!(error instanceof DotenvError)) throw error
      for (const p of error.problems) ctx.problems.add(at, `${absolute}:${p.line}: ${p.detail}`)
    }
  })
  return out
}

/** The build's options, read in place: the list forms as the mappings they stand for, paths from the project directory, values checked. */
function readBuildOptions(options: Record<string, unknown>, path: YamlPath, ctx: FieldContext): void {
  // The list form (`- NAME=VALUE`) is the mapping written otherwise, as Compose v2 reads it.
  if (Array.isArray(options.additional_contexts))
    options.additional_contexts = Object.fromEntries(
      (options.additional_contexts as unknown[]).map((item) => {
        const text = String(item)
        const at = text.indexOf('=')
        return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)]
      }),
    )
  if (isMapping(options.additional_contexts)) {
    // A local context is a path from the project directory; `service:…`, `docker-image://…` and URLs stay as written.
    options.additional_contexts = Object.fromEntries(
      Object.entries(options.additional_contexts).map(([name, c]) => [
        name,
        typeof c === 'string' && !/^[a-z][a-z0-9+.-]*:/i.test(c) ? storedPath(c, ctx) : c,
      ]),
    )
  }
  // The same syntaxes as the service's `extra_hosts`, read by the same reader.
  if (options.extra_hosts !== undefined)
    options.extra_hosts = readExtraHosts(options.extra_hosts, [...path, 'extra_hosts'], ctx)
  if (Array.isArray(options.ssh)) {
    // `id=path`: the key's path from the project directory, as Compose v2 resolves it.
    options.ssh = (options.ssh as unknown[]).map((s) =>
      typeof s === 'string' && s.includes('=')
        ? `${s.slice(0, s.indexOf('='))}=${storedPath(s.slice(s.indexOf('=') + 1), ctx)}`
        : s,
    )
  }
  // Attestations: `true`, `false` or their attributes, read as text as Compose v2 reads them (`build` takes them).
  for (const kind of ['provenance', 'sbom'])
    if (options[kind] !== undefined)
      options[kind] =
        typeof options[kind] === 'boolean' ? String(options[kind]) : readString(options[kind], [...path, kind], ctx)
}
