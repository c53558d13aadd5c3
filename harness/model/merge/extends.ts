import { dirname, isAbsolute, relative, resolve } from 'node:path'
import { unknownKey, type Problems } from '../document/compose-error.js'
import { describe } from '../document/describe.js'
import { interpolate } from '../interpolate/interpolate.js'
import { mergeCompose } from './merge.js'
import { isMapping } from '../document/values.js'
import { parseComposeDocuments, type ParsedCompose } from '../document/parse.js'
import { isRemoteFile, localPath, notFetched } from './remote-reference.js'
import { isRemoteContext, isWindowsAbsolute } from '../fields/service-fields.js'
import type { YamlPath } from '../document/where.js'

/** What resolving `extends` needs from the caller: the files it names are read through it. */
export interface ExtendsContext {
  readonly projectDirectory: string
  readonly lookup: (name: string) => string | undefined
  readonly readText?: (absolutePath: string) => string | undefined
  /** Hears the warnings of interpolating a file that another names (an unset variable). */
  readonly warn?: (warning: string) => void
  /** False (`config --no-path-resolution`): another file's relative paths are made relative to the project directory, not absolute. */
  readonly resolvePaths?: boolean
  /** False (`config --no-interpolate`): the files it reads are taken as written. */
  readonly interpolate?: boolean
  /** The local copies of the projects in registries (`oci://…`) the files include or extend, by reference. */
  readonly fetched?: Readonly<Record<string, string>>
}

/**
 * Replaces every service's `extends` by what it extends, as Compose v2 does: the base service (of
 * this document, or of the file `extends.file` names, interpolated with the same variables) with
 * its own `extends` resolved first, its relative paths made absolute against its own file's
 * directory, then the extending service merged over it by the rules of an override file. A
 * service that cannot be resolved (a missing file or service, a cycle) is reported with its
 * `extends` path and left without its base.
 */
export function resolveExtends(doc: ParsedCompose, context: ExtendsContext, problems: Problems): ParsedCompose {
  const document = doc.value
  const services = document.services
  if (!isMapping(services) || !Object.values(services).some((s) => isMapping(s) && s.extends !== undefined)) return doc
  const resolver = new ExtendsResolver(context, problems, (path, detail) => problems.addIn(doc, path, detail))
  const out: Record<string, unknown> = {}
  for (const [name, definition] of Object.entries(services)) {
    out[name] = isMapping(definition)
      ? resolver.service(name, definition, { directory: context.projectDirectory, services })
      : definition
  }
  return { ...doc, value: { ...document, services: out } }
}

/** Where a service is defined: its file (none: the project's own document), that file's directory and services. */
interface ServiceHome {
  readonly file?: string
  readonly directory: string
  readonly services: Record<string, unknown>
}

/** Resolves `extends` service by service, reading each other file once, and reporting at the extending service. */
class ExtendsResolver {
  private readonly files = new Map<string, ParsedCompose | undefined>()
  /** The bases being resolved, as `file#service`: one that comes round again is a cycle. */
  private readonly resolving: string[] = []

  constructor(
    private readonly context: ExtendsContext,
    private readonly problems: Problems,
    private readonly report: (path: YamlPath, detail: string) => void,
  ) {}

  /** A top-level service with its `extends` replaced by its base. */
  service(name: string, definition: Record<string, unknown>, home: ServiceHome): Record<string, unknown> {
    this.resolving.splice(0, this.resolving.length, `#${name}`)
    return this.resolve(name, definition, home, ['services', name])
  }

  private resolve(
    name: string,
    definition: Record<string, unknown>,
    here: ServiceHome,
    reportAt: YamlPath,
  ): Record<string, unknown> {
    const reference = definition.extends
    if (reference === undefined) return definition
    const { extends: _, ...own } = definition
    const target = readReference(reference, [...reportAt, 'extends'], this.report)
    if (!target) return own
    const file = target.file === undefined ? here.file : localPath(target.file, here.directory, this.context.fetched)
    const key = `${file ?? ''}#${target.service}`
    if (this.resolving.includes(key)) {
      const cycle = [...this.resolving.slice(this.resolving.indexOf(key)), key].map((k) => k.slice(k.indexOf('#') + 1))
      this.report([...reportAt, 'extends'], `is a cycle: ${cycle.join(' extends ')}`)
      return own
    }
    const baseServices = file === here.file ? here.services : this.servicesOf(file!)
    if (baseServices === undefined) {
      this.report(
        [...reportAt, 'extends', 'file'],
        file !== undefined && isRemoteFile(file)
          ? notFetched(file)
          : `cannot read ${target.file ?? file}: no such file, or not a readable one`,
      )
      return own
    }
    const base = baseServices[target.service]
    if (!isMapping(base)) {
      this.report(
        [...reportAt, 'extends', 'service'],
        `no service ${JSON.stringify(target.service)} in ${file ?? 'this project'}`,
      )
      return own
    }
    this.resolving.push(key)
    const directory = file === undefined ? here.directory : dirname(file)
    const home = { ...(file !== undefined && { file }), directory, services: baseServices }
    const resolvedBase = this.resolve(target.service, base, home, reportAt)
    this.resolving.pop()
    // Another file's paths are rebased even from the project directory where they are kept as
    // written: `./b` comes out as `b`, as compose-go writes it.
    const rebased =
      directory === this.context.projectDirectory && (file === undefined || this.context.resolvePaths !== false)
        ? resolvedBase
        : withAbsolutePaths(resolvedBase, directory, keptFrom(this.context), this.context.interpolate !== false)
    return mergeService(name, rebased, own, this.context.interpolate === false)
  }

  /** The services of another file, read and interpolated once; undefined when it cannot be read. */
  private servicesOf(file: string): Record<string, unknown> | undefined {
    if (!this.files.has(file)) this.files.set(file, readComposeFile(file, this.context, this.problems))
    const found = this.files.get(file)?.value.services
    return isMapping(found) ? found : undefined
  }
}

function readReference(
  value: unknown,
  path: YamlPath,
  report: (path: YamlPath, detail: string) => void,
): { service: string; file?: string } | undefined {
  if (typeof value === 'string') return { service: value }
  if (isMapping(value) && typeof value.service === 'string') {
    for (const key of Object.keys(value))
      if (key !== 'service' && key !== 'file') report([...path, key], unknownKey(['service', 'file']))
    if (value.file !== undefined && typeof value.file !== 'string') {
      report([...path, 'file'], `expected a string, got ${describe(value.file)}`)
      return undefined
    }
    return { service: value.service, ...(typeof value.file === 'string' && { file: value.file }) }
  }
  report(path, `expected a service name or a mapping with service (and file), got ${describe(value)}`)
  return undefined
}

/** The extending service over its base, by the rules of an override file (merge.ts). */
function mergeService(
  name: string,
  base: Record<string, unknown>,
  own: Record<string, unknown>,
  /** The plain model's merge (`config --no-interpolate`): `KEY=value` keys as sequences, as compose-go merges them. */
  raw: boolean,
): Record<string, unknown> {
  const document = (service: Record<string, unknown>): ParsedCompose => ({
    file: '',
    value: { services: { [name]: service } },
    find: () => undefined,
  })
  const merged = mergeCompose([document(base), document(own)], { keyValues: raw ? 'sequence' : 'mapping' }).value
    .services as Record<string, Record<string, unknown>>
  return merged[name]!
}

/**
 * The documents of a compose file that another names (`include`), read through the caller, parsed
 * and each interpolated with `context.lookup` (unless it says not to); undefined when it cannot be
 * read.
 */
export function readComposeDocuments(
  file: string,
  context: ExtendsContext,
  problems: Problems,
): ParsedCompose[] | undefined {
  const text = context.readText?.(file)
  if (text === undefined) return undefined
  return parseComposeDocuments(file, text).map((parsed) => {
    if (context.interpolate === false) return parsed
    const { doc, warnings } = interpolate(parsed, context.lookup, problems)
    for (const warning of warnings) context.warn?.(warning)
    return doc
  })
}

/** A file `extends.file` names, its documents merged in order, as Compose v2 reads it; undefined when it cannot be read. */
function readComposeFile(file: string, context: ExtendsContext, problems: Problems): ParsedCompose | undefined {
  const documents = readComposeDocuments(file, context, problems)
  if (!documents || documents.length === 1) return documents?.[0]
  const merged = mergeCompose(documents, { keyValues: context.interpolate === false ? 'sequence' : 'mapping' })
  return { file, value: merged.value, find: (path) => merged.locate(path) }
}

/**
 * A path of a file loaded from another directory, made absolute against that directory; `~` is
 * left for normalize to resolve against HOME, as every path of the project is.
 */
export function rebasedPath(path: string, directory: string, keptFrom?: string): string {
  if (isAbsolute(path) || isWindowsAbsolute(path) || path.startsWith('~')) return path
  return keptFrom === undefined ? resolve(directory, path) : relative(keptFrom, resolve(directory, path)) || '.'
}

/** Where another file's paths are made relative to when they are kept as written (`config --no-path-resolution`): the project directory. */
export function keptFrom(context: ExtendsContext): string | undefined {
  return context.resolvePaths === false ? context.projectDirectory : undefined
}

/**
 * The base service's relative paths, made absolute against its file's directory: its build
 * context, env files, label files and the sources of its bind mounts.
 */
export function withAbsolutePaths(
  service: Record<string, unknown>,
  directory: string,
  /** Set: the paths are made relative to it instead (see `keptFrom`). */
  kept?: string,
  /**
   * False: a build without a context is left without one. compose-go gives it its default after
   * the merge when it does not interpolate (`config --no-interpolate`): the project directory.
   */
  defaultContext = true,
): Record<string, unknown> {
  const out = { ...service }
  if (typeof out.build === 'string' && !isRemoteContext(out.build)) out.build = rebasedPath(out.build, directory, kept)
  else if (isMapping(out.build) && typeof out.build.context === 'string' && !isRemoteContext(out.build.context))
    out.build = { ...out.build, context: rebasedPath(out.build.context, directory, kept) }
  // A build without a context builds that file's directory, not the project's.
  else if (isMapping(out.build) && out.build.context === undefined && defaultContext)
    out.build = { ...out.build, context: rebasedPath('.', directory, kept) }
  for (const key of ['env_file', 'label_file']) {
    const files = out[key]
    const rebase = (f: unknown): unknown =>
      typeof f === 'string'
        ? rebasedPath(f, directory, kept)
        : isMapping(f) && typeof f.path === 'string'
          ? { ...f, path: rebasedPath(f.path, directory, kept) }
          : f
    if (files !== undefined) out[key] = Array.isArray(files) ? files.map(rebase) : rebase(files)
  }
  if (Array.isArray(out.volumes)) {
    out.volumes = out.volumes.map((v: unknown) => {
      if (typeof v === 'string' && /^\.\.?(\/|:)/.test(v)) {
        const colon = v.indexOf(':')
        const source = rebasedPath(v.slice(0, colon), directory, kept)
        // Kept relative, a source must still read as a path, not as a volume's name.
        return `${/^[./~]/.test(source) ? source : `./${source}`}${v.slice(colon)}`
      }
      if (isMapping(v) && v.type === 'bind' && typeof v.source === 'string')
        return { ...v, source: rebasedPath(v.source, directory, kept) }
      return v
    })
  }
  return out
}
