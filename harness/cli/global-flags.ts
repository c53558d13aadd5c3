import { parseOptions, type OptionTable } from './options.js'
import { PROGRESS_MODES, type ProgressMode } from './progress.js'
import { UsageError } from './usage-error.js'

/** The Compose CLI's global flags, which come before the command. */
export interface GlobalFlags {
  readonly files: string[]
  readonly envFiles: string[]
  readonly profiles: string[]
  readonly projectName?: string
  readonly projectDirectory?: string
  readonly progress?: ProgressMode
  /** `-h`, `--help` before any command. */
  readonly help?: boolean
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
} as const satisfies OptionTable

/** Splits `[globals] command [command args]`: the global flags end at the command's name. */
export function splitCommandLine(argv: readonly string[]): CommandLine {
  const { values, positionals } = parseOptions(undefined, argv, GLOBAL_OPTIONS, { operandsEndOptions: true })
  const [command, ...rest] = positionals
  const globals: GlobalFlags = {
    files: values.file ?? [],
    envFiles: values['env-file'] ?? [],
    profiles: values.profile ?? [],
    ...(values['project-name'] !== undefined && { projectName: values['project-name'] }),
    ...(values['project-directory'] !== undefined && { projectDirectory: values['project-directory'] }),
    ...(values.progress !== undefined && { progress: progressMode(values.progress) }),
    ...(values.help && { help: true }),
  }
  return { globals, command, rest }
}

function progressMode(value: string): ProgressMode {
  if ((PROGRESS_MODES as readonly string[]).includes(value)) return value as ProgressMode
  throw new UsageError(`--progress is one of ${PROGRESS_MODES.join(', ')}, got ${value}`)
}
