import { UsageError } from '../usage-error.js'
import { containerIndex, containerOf } from '../container-of.js'
import type { Command } from './command.js'
import { COMMAND_SETTINGS, parseOptions, readVariables, type OptionTable } from '../options.js'

/** `exec [OPTIONS] SERVICE COMMAND [ARGS...]`, read the way `docker compose exec` reads it. */
export interface ExecCommandLine {
  readonly service: string
  readonly command: readonly string[]
  /** Which of the service's containers (`--index`, from 1; 0 for its lowest running one). */
  readonly index: number
  /** `-e KEY=VALUE`, and `-e KEY` for KEY's value in the project's variables (the environment over the env files), as v2 reads them. */
  readonly env: Readonly<Record<string, string>>
  readonly user?: string
  readonly workingDir?: string
  readonly privileged: boolean
  readonly detach: boolean
}

/** `exec`'s options, all before SERVICE. -T and -i are what the harness always does (no terminal, input attached): accepted. */
export const EXEC_OPTIONS = {
  ...COMMAND_SETTINGS,
  index: { type: 'string' },
  detach: { type: 'boolean', short: 'd' },
  privileged: { type: 'boolean' },
  'no-tty': { type: 'boolean', short: 'T' },
  interactive: { type: 'boolean', short: 'i' },
} as const satisfies OptionTable

/** Options come before SERVICE; everything after it is the command, passed on untouched. */
export function parseExecArgs(
  args: readonly string[],
  lookup: (name: string) => string | undefined = (name) => process.env[name],
): ExecCommandLine {
  const { values, positionals } = parseOptions('exec', args, EXEC_OPTIONS, { operandsEndOptions: true })
  const [service, ...command] = positionals
  if (!service || command.length === 0)
    throw new UsageError('exec: give a service and a command, as in `exec web ls -l`')
  const { user, workdir: workingDir } = values
  return {
    service,
    command,
    index: containerIndex('exec', values.index),
    env: readVariables('exec', values.env ?? [], lookup),
    detach: values.detach === true,
    privileged: values.privileged === true,
    ...(user !== undefined && { user }),
    ...(workingDir !== undefined && { workingDir }),
  }
}

/**
 * `exec`: the command's output as it comes, this process's input as the command's (until it ends
 * or the command exits), and the command's exit code as the CLI's.
 */
export const exec: Command = async (compose, args) => {
  const line = parseExecArgs(args, (name) => compose.variable(name))
  const handle = await containerOf(compose, line.service, line.index)
  try {
    return await handle.execStreaming(line.command, process.stdout, process.stderr, {
      env: line.env,
      privileged: line.privileged,
      detach: line.detach,
      ...(!line.detach && { stdin: process.stdin }),
      ...(line.user !== undefined && { user: line.user }),
      ...(line.workingDir !== undefined && { workingDir: line.workingDir }),
    })
  } finally {
    // The command is done: stop reading the terminal or pipe, so that this process can end.
    process.stdin.destroy()
  }
}
