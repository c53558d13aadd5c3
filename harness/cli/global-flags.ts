import { parseOptions, type OptionTable } from './options.js'
import { PROGRESS_MODES, type ProgressMode } from './progress.js'
import { UsageError } from './usage-error.js'
import type { AnsiMode } from './log-prefixer.js'
import type { TlsFlags } from '../runtime/engine/engine-tls.js'

/** The Compose CLI's global flags, which come before the command. */
export interface GlobalFlags {
  readonly files: string[]
  readonly envFiles: string[]
  readonly profiles: string[]
  readonly projectName?: string
  readonly projectDirectory?: string
  readonly progress?: ProgressMode
  /** `--ansi never|always|auto`, as written (another value is `auto`, with a warning, as Compose v2 takes it). */
  readonly ansi?: string
  /** `--all-resources`: every network and volume the files declare, used by a service or not. */
  readonly allResources?: boolean
  /** `--parallel N`: at most N builds, pulls and pushes at once (-1: no limit). */
  readonly parallel?: number
  /** `--compatibility`: names as Compose v1 made them (`p_web_1`). */
  readonly compatibility?: boolean
  /** `--dry-run`: the command runs, reads the engine, and changes nothing on it. */
  readonly dryRun?: boolean
  /** `-h`, `--help` before any command. */
  readonly help?: boolean
  /** `-H`, `--host`: the engine's address, over DOCKER_HOST (a docker CLI flag, which standalone Compose v2 takes). */
  readonly host?: string
  /** `--context`: the Docker context to use, over DOCKER_CONTEXT (likewise the docker CLI's). */
  readonly context?: string
  /** `--tls`, `--tlsverify`, `--tlscacert`, `--tlscert`, `--tlskey` (the docker CLI's, which standalone Compose v2 takes), when any is given. */
  readonly tls?: TlsFlags
  /** What the deprecated flags Compose v2 still takes (`--no-ansi`, `--workdir`) say on standard error. */
  readonly deprecations?: readonly string[]
}

export interface CommandLine {
  readonly globals: GlobalFlags
  readonly command?: string | undefined
  readonly rest: string[]
}

export const GLOBAL_OPTIONS = {
  file: { type: 'string', short: 'f', multiple: true },
  'project-name': { type: 'string', short: 'p' },
  'project-directory': { type: 'string' },
  'env-file': { type: 'string', multiple: true },
  profile: { type: 'string', multiple: true },
  progress: { type: 'string' },
  ansi: { type: 'string' },
  'all-resources': { type: 'boolean' },
  parallel: { type: 'string' },
  'dry-run': { type: 'boolean' },
  compatibility: { type: 'boolean' },
  // Compose v2's hidden flags, and the docker CLI's that standalone Compose v2 takes before the command.
  'no-ansi': { type: 'boolean' },
  workdir: { type: 'string' },
  debug: { type: 'boolean', short: 'D' },
  'log-level': { type: 'string' },
  host: { type: 'string', short: 'H' },
  context: { type: 'string' },
  tls: { type: 'boolean' },
  tlsverify: { type: 'boolean' },
  tlscacert: { type: 'string' },
  tlscert: { type: 'string' },
  tlskey: { type: 'string' },
} as const satisfies OptionTable

/**
 * The command line as standalone Compose v2 rewrites it before reading it (`compatibility.Convert`):
 * up to the first word that is no flag, `--version` and `-v` become the `version` command (so
 * `-v --short` is `version --short`), and `--verbose` is `--debug`.
 */
export function standaloneArgs(argv: readonly string[]): string[] {
  const first = argv.findIndex((a) => a === '' || !a.startsWith('-'))
  const end = first < 0 ? argv.length : first
  const rewritten = argv
    .slice(0, end)
    .map((a) => (a === '--version' || a === '-v' ? 'version' : a === '--verbose' ? '--debug' : a))
  return [...rewritten, ...argv.slice(end)]
}

/** `--no-ansi` and `--workdir`, as Compose v2 takes them: the same as `--ansi never` and `--project-directory`, each said to be deprecated, and refused beside the flag that replaces it. */
function deprecated(values: {
  readonly 'no-ansi'?: boolean
  readonly ansi?: string
  readonly workdir?: string
  readonly 'project-directory'?: string
}): { readonly ansi?: string; readonly projectDirectory?: string; readonly deprecations: string[] } {
  const deprecations: string[] = []
  let { ansi, 'project-directory': projectDirectory } = values
  if (values['no-ansi']) {
    if (ansi !== undefined && ansi !== 'auto')
      throw new UsageError('cannot specify DEPRECATED "--no-ansi" and "--ansi". Please use only "--ansi"')
    ansi = 'never'
    deprecations.push("option '--no-ansi' is DEPRECATED ! Please use '--ansi' instead.")
  }
  if (values.workdir !== undefined) {
    if (projectDirectory !== undefined)
      throw new UsageError(
        'cannot specify DEPRECATED "--workdir" and "--project-directory". Please use only "--project-directory" instead',
      )
    projectDirectory = values.workdir
    deprecations.push("option '--workdir' is DEPRECATED at root level! Please use '--project-directory' instead.")
  }
  return {
    ...(ansi !== undefined && { ansi }),
    ...(projectDirectory !== undefined && { projectDirectory }),
    deprecations,
  }
}

/**
 * Splits `[globals] command [command args]`: the global flags end at the command's name. `--progress`
 * defaults to COMPOSE_PROGRESS of `exported`, the environment the command was started with (as in
 * Compose v2, an env file's COMPOSE_PROGRESS does not count).
 */
export function splitCommandLine(argv: readonly string[], exported: NodeJS.ProcessEnv = {}): CommandLine {
  const { values, positionals } = parseOptions(undefined, standaloneArgs(argv), GLOBAL_OPTIONS, {
    operandsEndOptions: true,
  })
  const [command, ...rest] = positionals
  const { ansi, projectDirectory, deprecations } = deprecated(values)
  const progress =
    values.progress !== undefined
      ? progressMode('--progress', values.progress)
      : exported.COMPOSE_PROGRESS
        ? progressMode('COMPOSE_PROGRESS', exported.COMPOSE_PROGRESS)
        : undefined
  const globals: GlobalFlags = {
    files: values.file ?? [],
    envFiles: values['env-file'] ?? [],
    profiles: values.profile ?? [],
    ...(values['project-name'] !== undefined && { projectName: values['project-name'] }),
    ...(projectDirectory !== undefined && { projectDirectory }),
    ...(progress !== undefined && { progress }),
    ...(ansi !== undefined && { ansi }),
    ...(values['all-resources'] && { allResources: true }),
    ...(values.parallel !== undefined && { parallel: wholeNumber('--parallel', values.parallel) }),
    ...(values['dry-run'] && { dryRun: true }),
    ...(values.compatibility && { compatibility: true }),
    ...(values.help && { help: true }),
    ...(values.host !== undefined && { host: values.host }),
    ...(values.context !== undefined && { context: values.context }),
    ...tlsOf(values),
    ...(deprecations.length > 0 && { deprecations }),
  }
  return { globals, command, rest }
}

/** The TLS flags given, if any. */
function tlsOf(values: {
  readonly tls?: boolean
  readonly tlsverify?: boolean
  readonly tlscacert?: string
  readonly tlscert?: string
  readonly tlskey?: string
}): { tls?: TlsFlags } {
  const tls: TlsFlags = {
    ...(values.tls !== undefined && { tls: values.tls }),
    ...(values.tlsverify !== undefined && { verify: values.tlsverify }),
    ...(values.tlscacert !== undefined && { caFile: values.tlscacert }),
    ...(values.tlscert !== undefined && { certFile: values.tlscert }),
    ...(values.tlskey !== undefined && { keyFile: values.tlskey }),
  }
  return Object.keys(tls).length > 0 ? { tls } : {}
}

/** A `--progress` value; `none` is `quiet`, as Compose v2 takes it. */
function progressMode(source: string, value: string): ProgressMode {
  if (value === 'none') return 'quiet'
  if ((PROGRESS_MODES as readonly string[]).includes(value)) return value as ProgressMode
  throw new UsageError(`${source} is one of ${PROGRESS_MODES.join(', ')}, got ${value}`)
}

const ANSI_MODES: readonly AnsiMode[] = ['never', 'always', 'auto']

/** A value of `--ansi` or COMPOSE_ANSI; another is `auto`, as Compose v2 takes it, and `warn` says so. */
function ansiMode(source: string, value: string, warn: (line: string) => void): AnsiMode {
  if ((ANSI_MODES as readonly string[]).includes(value)) return value as AnsiMode
  warn(`WARN ${source} ${value} is not never, always or auto: auto is used`)
  return 'auto'
}

/**
 * How the command shows its progress and colours, as Compose v2 settles `--ansi` (else COMPOSE_ANSI)
 * with `--progress`: `never` shows plain progress, `always` the live view (each refused with the
 * other's contradicting `--progress`); NO_COLOR takes the colours away, whatever `--ansi` says.
 */
export function outputModes(
  globals: Pick<GlobalFlags, 'ansi' | 'progress'>,
  env: NodeJS.ProcessEnv,
  warn: (line: string) => void,
): { readonly progress?: ProgressMode; readonly ansi?: AnsiMode } {
  const ansi =
    globals.ansi !== undefined
      ? ansiMode('--ansi', globals.ansi, warn)
      : env.COMPOSE_ANSI === undefined
        ? 'auto'
        : ansiMode('COMPOSE_ANSI', env.COMPOSE_ANSI, warn)
  const { progress } = globals
  if (ansi === 'never' && progress === 'tty')
    throw new UsageError("can't use --progress tty while ANSI support is disabled")
  if (ansi === 'always' && progress === 'plain')
    throw new UsageError("can't use --progress plain while ANSI support is forced")
  const mode =
    progress === undefined || progress === 'auto' ? { never: 'plain', always: 'tty', auto: progress }[ansi] : progress
  const colours = env.NO_COLOR ? 'never' : ansi
  return {
    ...(mode !== undefined && { progress: mode as ProgressMode }),
    ...(colours !== 'auto' && { ansi: colours }),
  }
}

/** An integer flag or variable, as Go's strconv.Atoi reads it. */
function wholeNumber(source: string, value: string): number {
  if (!/^[+-]?\d+$/.test(value.trim()))
    throw new UsageError(`${source} must be an integer (found: ${JSON.stringify(value)})`)
  return Number(value)
}

/** `--parallel`, else COMPOSE_PARALLEL_LIMIT: the most builds, pulls and pushes at once; undefined for no limit. */
export function parallelLimit(globals: Pick<GlobalFlags, 'parallel'>, env: NodeJS.ProcessEnv): number | undefined {
  const limit =
    globals.parallel ??
    (env.COMPOSE_PARALLEL_LIMIT === undefined
      ? undefined
      : wholeNumber('COMPOSE_PARALLEL_LIMIT', env.COMPOSE_PARALLEL_LIMIT))
  return limit !== undefined && limit > 0 ? limit : undefined
}
