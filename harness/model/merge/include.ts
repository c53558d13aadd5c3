import { dirname, join, relative, resolve } from 'node:path'
import { unknownKey, type Problems } from '../document/compose-error.js'
import { describe } from '../document/describe.js'
import { DotenvError, parseDotenv } from '../interpolate/dotenv.js'
import {
  keptFrom,
  readComposeDocuments,
  rebasedPath,
  resolveExtends,
  withAbsolutePaths,
  type ExtendsContext,
} from './extends.js'
import { mergeCompose } from './merge.js'
import { isMapping } from '../document/values.js'
import { isRemoteFile, localPath, notFetched } from './remote-reference.js'
import type { ParsedCompose } from '../document/parse.js'
import type { YamlPath } from '../document/where.js'

/** The top-level sections an included file brings into the project. */
const IMPORTED = ['services', 'networks', 'volumes', 'secrets', 'configs'] as const

/** One `include` entry in its long form. */
interface Include {
  readonly paths: readonly string[]
  readonly projectDirectory: string
  /** The env files given; absent: the included project directory's `.env`, when there is one. */
  readonly envFiles?: readonly string[]
}

/**
 * Adds to the document what its `include` entries bring, as Compose v2 does: each entry's files
 * are loaded as a project of their own (their variables from the entry's `env_file`, else the
 * `.env` of their project directory, under this project's; their relative paths against their
 * own project directory; their own `include` and `extends` resolved), then their services,
 * networks, volumes, secrets and configs are added. A name this document already has is a conflict.
 */
export function applyInclude(
  doc: ParsedCompose,
  context: ExtendsContext,
  problems: Problems,
  including: readonly string[] = [],
): ParsedCompose {
  const entries = doc.value.include
  if (entries === undefined) return doc
  const report = (path: YamlPath, detail: string): void => problems.addIn(doc, path, detail)
  const shown = (path: string): string => relative(context.projectDirectory, path)
  const { include: _, ...value } = doc.value
  if (!Array.isArray(entries)) {
    report(['include'], `expected a list of files or of mappings with path, got ${describe(entries)}`)
    return { ...doc, value }
  }
  entries.forEach((raw, i) => {
    const entry = readInclude(raw, ['include', i], context.projectDirectory, report, context.fetched)
    if (!entry) return
    const cycle = entry.paths.find((p) => including.includes(p) || p === doc.file)
    if (cycle) return report(['include', i], `includes ${shown(cycle)}, which includes this file: a cycle`)
    const lookup = includedLookup(entry, context, (detail) => report(['include', i, 'env_file'], detail))
    const inner: ExtendsContext = { ...context, projectDirectory: entry.projectDirectory, lookup }
    const docs = entry.paths.flatMap((path) => {
      const documents = readComposeDocuments(path, inner, problems)
      if (!documents) {
        report(
          ['include', i],
          isRemoteFile(path) ? notFetched(path) : `cannot read ${shown(path)}: no such file, or not a readable one`,
        )
        return []
      }
      // Each document of the file is taken as a file of its own, as Compose v2 takes it.
      return documents.map((parsed) =>
        resolveExtends(applyInclude(parsed, inner, problems, [...including, doc.file]), inner, problems),
      )
    })
    if (docs.length === 0) return
    const imported = mergeCompose(docs, { keyValues: context.interpolate === false ? 'sequence' : 'mapping' }).value
    for (const section of IMPORTED) {
      const resources = imported[section]
      if (!isMapping(resources)) continue
      const own = isMapping(value[section]) ? { ...value[section] } : {}
      for (const [name, definition] of Object.entries(resources)) {
        if (name in own) {
          report(
            ['include', i],
            `${section}.${name} of ${entry.paths.map(shown).join(', ')} conflicts with ${section}.${name} of this file`,
          )
          continue
        }
        own[name] = rebased(section, definition, entry.projectDirectory, context)
      }
      value[section] = own
    }
  })
  return { ...doc, value }
}

/** `FILE`, or `{path: FILE | [FILE…], project_directory, env_file: FILE | [FILE…]}`, with absolute paths. */
function readInclude(
  raw: unknown,
  path: YamlPath,
  directory: string,
  report: (path: YamlPath, detail: string) => void,
  /** The local copies of the projects in registries an entry may name (`oci://…`). */
  fetched?: Readonly<Record<string, string>>,
): Include | undefined {
  const long = typeof raw === 'string' ? { path: raw } : raw
  if (!isMapping(long)) {
    report(path, `expected a file or a mapping with path, got ${describe(raw)}`)
    return undefined
  }
  for (const key of Object.keys(long))
    if (!['path', 'project_directory', 'env_file'].includes(key) && !key.startsWith('x-'))
      report([...path, key], unknownKey(['path', 'project_directory', 'env_file']))
  const files = (key: string): string[] | undefined => {
    const value = long[key]
    if (value === undefined) return undefined
    const list = Array.isArray(value) ? value : [value]
    if (list.every((f) => typeof f === 'string'))
      return list.map((f: string) => (key === 'path' ? localPath(f, directory, fetched) : resolve(directory, f)))
    report([...path, key], `expected a file or a list of files, got ${describe(value)}`)
    return undefined
  }
  const paths = files('path')
  if (!paths?.length) {
    if (long.path === undefined) report(path, 'needs a path')
    return undefined
  }
  const projectDirectory =
    typeof long.project_directory === 'string' ? resolve(directory, long.project_directory) : dirname(paths[0]!)
  const envFiles = files('env_file')
  return { paths, projectDirectory, ...(envFiles && { envFiles }) }
}

/** The included project's variables: this project's first, then its env files' (or its directory's `.env`). */
function includedLookup(
  entry: Include,
  context: ExtendsContext,
  report: (detail: string) => void,
): (name: string) => string | undefined {
  const values: Record<string, string> = {}
  for (const file of entry.envFiles ?? [join(entry.projectDirectory, '.env')]) {
    const text = context.readText?.(file)
    if (text === undefined) {
      if (entry.envFiles)
        report(`cannot read ${relative(context.projectDirectory, file)}: no such file, or not a readable one`)
      continue
    }
    try {
      Object.assign(
        values,
        parseDotenv(text, (name) => context.lookup(name) ?? values[name]),
      )
    } catch (error) {
      if (!(error instanceof DotenvError)) throw error
      report(`${file}: ${error.message}`)
    }
  }
  return (name) => context.lookup(name) ?? values[name]
}

/** A resource of the included project, its relative paths made absolute against that project's directory. */
function rebased(section: string, definition: unknown, from: string, context: ExtendsContext): unknown {
  if (from === context.projectDirectory || !isMapping(definition)) return definition
  if (section === 'services') return withAbsolutePaths(definition, from, keptFrom(context))
  if ((section === 'secrets' || section === 'configs') && typeof definition.file === 'string')
    return { ...definition, file: rebasedPath(definition.file, from, keptFrom(context)) }
  return definition
}
