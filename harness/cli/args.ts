import { HarnessError } from '../errors.js'
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { PROGRESS_MODES, type ProgressMode } from './progress.js'

/** The Compose CLI's global flags, which come before the command. */
export interface GlobalFlags {
  readonly files: string[]
  readonly envFiles: string[]
  readonly profiles: string[]
  readonly projectName?: string
  readonly projectDirectory?: string
  readonly progress?: ProgressMode
}

export interface CommandLine {
  readonly globals: GlobalFlags
  readonly command?: string | undefined
  readonly rest: string[]
}

export class UsageError extends HarnessError {
  override readonly name = 'UsageError'
}

const GLOBAL_WITH_VALUE: Record<string, keyof GlobalFlags> = {
  '-f': 'files',
  '--file': 'files',
  '-p': 'projectName',
  '--project-name': 'projectName',
  '--project-directory': 'projectDirectory',
  '--env-file': 'envFiles',
  '--profile': 'profiles',
  '--progress': 'progress',
}
const REPEATED = new Set<keyof GlobalFlags>(['files', 'envFiles', 'profiles'])

/** Splits `[globals] command [command args]`, accepting `--flag value` and `--flag=value`. */
export function splitCommandLine(argv: readonly string[]): CommandLine {
  const repeated: Record<string, string[]> = { files: [], envFiles: [], profiles: [] }
  const globals: { projectName?: string; projectDirectory?: string; progress?: ProgressMode } = {}
  let i = 0
  for (; i < argv.length; i++) {
    const arg = argv[i]!
    if (!arg.startsWith('-') || arg === '-h' || arg === '--help') break
    const [flag, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg, undefined]
    const key = GLOBAL_WITH_VALUE[flag]
    if (!key) throw new UsageError(`unknown flag ${flag}`)
    const value = inline ?? argv[++i]
    if (value === undefined) throw new UsageError(`${flag} needs a value`)
    if (REPEATED.has(key)) repeated[key]!.push(value)
    else if (key === 'progress') globals.progress = progressMode(value)
    else globals[key as 'projectName' | 'projectDirectory'] = value
  }
  const { files = [], envFiles = [], profiles = [] } = repeated
  return { globals: { files, envFiles, profiles, ...globals }, command: argv[i], rest: argv.slice(i + 1) }
}

function progressMode(value: string): ProgressMode {
  if ((PROGRESS_MODES as readonly string[]).includes(value)) return value as ProgressMode
  throw new UsageError(`--progress is one of ${PROGRESS_MODES.join(', ')}, got ${value}`)
}

/** A command's own flags and its positional arguments (service names). */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(
  command: string,
  args: string[],
  options: T,
) {
  try {
    return parseArgs({
      args,
      options: { help: { type: 'boolean', short: 'h' }, ...options },
      allowPositionals: true,
      strict: true,
    })
  } catch (error) {
    throw new UsageError(`${command}: ${(error as Error).message}`)
  }
}

/** `--format F`: one of `allowed`, the first when not given. */
export function formatOf<F extends string>(
  command: string,
  value: string | undefined,
  allowed: readonly [F, F, ...F[]],
): F {
  if (value === undefined) return allowed[0]
  if ((allowed as readonly string[]).includes(value)) return value as F
  throw new UsageError(`${command}: --format is ${allowed.slice(0, -1).join(', ')} or ${allowed.at(-1)}, got ${value}`)
}

/** `-t N`: whole seconds, or undefined when not given. */
export function seconds(command: string, value: string | undefined, flag = '--timeout'): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${command}: ${flag} takes whole seconds, got ${value}`)
  return n
}
