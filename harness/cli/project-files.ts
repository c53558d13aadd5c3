import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { definedOnly, readProjectEnvFiles } from '../api/compose-files.js'
import { goBoolean } from '../model/document/values.js'
import { isRemoteFile } from '../model/merge/remote-reference.js'
import type { GlobalFlags } from './global-flags.js'
import { UsageError } from './usage-error.js'

/** The names Compose v2 looks for when no file is given, in its order of preference. */
const DEFAULT_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml']
/** The override file merged over the default one, in the same directory, in its order of preference. */
const OVERRIDE_FILES = [
  'compose.override.yml',
  'compose.override.yaml',
  'docker-compose.override.yml',
  'docker-compose.override.yaml',
]

/** What finding the project asks of the file system: the seam the unit spec fills. */
export interface ProjectFinder {
  readonly cwd: string
  readonly exists: (path: string) => boolean
  /** The variables of env files, as `readProjectEnvFiles` reads them (later files win, `required` ones must exist). */
  readonly readEnvFiles: (
    files: readonly string[],
    required: boolean,
    lookup: (name: string) => string | undefined,
  ) => Record<string, string>
}

export const FILE_SYSTEM: ProjectFinder = { cwd: process.cwd(), exists: existsSync, readEnvFiles: readProjectEnvFiles }

/** The project the command line and the environment point at, as Compose v2 finds it before loading. */
export interface FoundProject {
  /** Absolute: `-f`, else COMPOSE_FILE, else the default file (and its override) of the working directory or its nearest parent that has one; empty when there is none. */
  readonly files: string[]
  /** `--env-file`, else COMPOSE_ENV_FILES, absolute; `[]` under COMPOSE_DISABLE_ENV_FILE; absent: the project directory's `.env`. */
  readonly envFiles?: string[]
  /** The environment the files see when the working directory's `.env` is not the project directory's: Compose v2 reads both, the first one winning. */
  readonly environment?: Record<string, string | undefined>
  /** The `COMPOSE_*` variables the env files set and the environment does not: they set the CLI up as if exported. */
  readonly composeVariables: Record<string, string>
  /** Several default files (or override files) in one directory: which one is used. */
  readonly warnings: string[]
  /** Where the default files were looked for: the working directory. */
  readonly searchedFrom: string
}

type Environment = Readonly<Record<string, string | undefined>>

/**
 * Finds the project as Compose v2 does (compose-go's project options): the env files of the working
 * directory (`--project-directory`, else the first file's, else the current one) are read first,
 * and may set COMPOSE_FILE, COMPOSE_PATH_SEPARATOR, COMPOSE_PROJECT_NAME, COMPOSE_PROFILES and the
 * CLI's other COMPOSE_* settings; then the files: `-f`, else COMPOSE_FILE split on
 * COMPOSE_PATH_SEPARATOR (`:`), else the default file of the working directory or of the nearest
 * parent directory that has one, with its override file.
 */
export function findProject(
  globals: Pick<GlobalFlags, 'files' | 'envFiles' | 'projectDirectory'>,
  env: Environment,
  finder: ProjectFinder,
): FoundProject {
  const { cwd } = finder
  const explicit = (globals.envFiles.length > 0 ? globals.envFiles : commaList(env.COMPOSE_ENV_FILES)).map((f) =>
    resolve(cwd, f),
  )
  const noDotEnv = explicit.length === 0 && defaultEnvFileOff(env.COMPOSE_DISABLE_ENV_FILE)
  // A project in a registry (`oci://…`) is no directory of this machine: the working one stands for it, as in v2.
  const local = (f: string | undefined) => (f === undefined || isRemoteFile(f) ? undefined : f)
  const given = local(globals.files.filter((f) => f !== '-')[0])
  const workingDirectory = resolve(cwd, globals.projectDirectory ?? (given ? dirname(resolve(cwd, given)) : '.'))
  const dotEnvIn = (directory: string): string[] => (noDotEnv ? [] : [join(directory, '.env')])
  const firstEnvFiles = explicit.length > 0 ? explicit : dotEnvIn(workingDirectory)
  const read = finder.readEnvFiles(firstEnvFiles, explicit.length > 0, (name) => env[name])
  const seen = (name: string): string | undefined => env[name] ?? read[name]
  const composeVariables = Object.fromEntries(
    Object.entries(read).filter(([name]) => name.startsWith('COMPOSE_') && env[name] === undefined),
  )
  const warnings: string[] = []
  const files =
    globals.files.length > 0
      ? globals.files.map((f) => (f === '-' || isRemoteFile(f) ? f : resolve(cwd, f)))
      : (fromVariable(seen('COMPOSE_FILE'), seen('COMPOSE_PATH_SEPARATOR'), cwd) ??
        defaultFiles(workingDirectory, finder.exists, warnings))
  const first = local(files.find((f) => f !== '-'))
  const projectDirectory = resolve(cwd, globals.projectDirectory ?? (first ? dirname(first) : '.'))
  // The project directory's `.env` is read by the project itself; the working directory's, when another, goes first.
  const another = explicit.length === 0 && projectDirectory !== workingDirectory && Object.keys(read).length > 0
  return {
    files,
    ...(explicit.length > 0 && { envFiles: explicit }),
    ...(noDotEnv && { envFiles: [] }),
    ...(another && { environment: { ...read, ...definedOnly(env) } }),
    composeVariables,
    warnings,
    searchedFrom: workingDirectory,
  }
}

/** The files found, or the usage error that says where none was. */
export function projectFiles(found: FoundProject): string[] {
  if (found.files.length > 0) return found.files
  throw new UsageError(
    `no compose file given (-f or COMPOSE_FILE) and none of ${DEFAULT_FILES.join(', ')} in ${found.searchedFrom} or a directory above it`,
  )
}

/** COMPOSE_FILE's paths, absolute from the current directory (`-` is the standard input). */
function fromVariable(value: string | undefined, separator: string | undefined, cwd: string): string[] | undefined {
  if (value === undefined) return undefined
  return value.split(separator || ':').map((f) => (f === '-' ? f : resolve(cwd, f)))
}

/** The first default file of `directory` or of the nearest directory above it that has one, and its override file. */
function defaultFiles(directory: string, exists: (path: string) => boolean, warnings: string[]): string[] {
  for (let at = directory; ; at = dirname(at)) {
    const found = DEFAULT_FILES.map((f) => join(at, f)).filter(exists)
    if (found.length > 0) {
      const overrides = OVERRIDE_FILES.map((f) => join(at, f)).filter(exists)
      warnings.push(...several('config files', found), ...several('override files', overrides))
      return [found[0]!, ...overrides.slice(0, 1)]
    }
    if (dirname(at) === at) return []
  }
}

/** Compose v2's two warnings when a directory has several files of the default names. */
function several(kind: string, found: readonly string[]): string[] {
  return found.length > 1
    ? [`Found multiple ${kind} with supported names: ${found.join(', ')}`, `Using ${found[0]}`]
    : []
}

/** COMPOSE_ENV_FILES: a comma-separated list, empty entries left out. */
function commaList(value: string | undefined): string[] {
  return (value ?? '').split(',').filter(Boolean)
}

/** COMPOSE_DISABLE_ENV_FILE, read as Go's ParseBool reads it; another value is an error, as in Compose v2. */
function defaultEnvFileOff(value: string | undefined): boolean {
  if (value === undefined) return false
  const off = goBoolean(value)
  if (off === undefined)
    throw new UsageError(`COMPOSE_DISABLE_ENV_FILE takes true or false, got ${JSON.stringify(value)}`)
  return off
}
