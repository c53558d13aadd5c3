import { ResourceError } from '../../runtime/runtime-errors.js'
import { UsageError } from '../args.js'
import { containerIndex, containerOf } from '../container-of.js'
import type { Command } from './command.js'

/** `exec [OPTIONS] SERVICE COMMAND [ARGS...]`, read the way `docker compose exec` reads it. */
export interface ExecCommandLine {
  readonly service: string
  readonly command: readonly string[]
  /** Which of the service's containers (`--index`, from 1). */
  readonly index: number
  /** `-e KEY=VALUE`, and `-e KEY` for KEY's value here, as Docker reads them. */
  readonly env: Readonly<Record<string, string>>
  readonly user?: string
  readonly workingDir?: string
  readonly privileged: boolean
  readonly detach: boolean
}

const WITH_VALUE: Readonly<Record<string, 'env' | 'user' | 'workdir' | 'index'>> = {
  '-e': 'env',
  '--env': 'env',
  '-u': 'user',
  '--user': 'user',
  '-w': 'workdir',
  '--workdir': 'workdir',
  '--index': 'index',
}
/** -T and -i are what the harness always does (no terminal, input attached): accepted, changing nothing. */
const BOOLEAN: Readonly<Record<string, 'detach' | 'privileged' | 'same'>> = {
  '-d': 'detach',
  '--detach': 'detach',
  '--privileged': 'privileged',
  '-T': 'same',
  '--no-TTY': 'same',
  '-i': 'same',
  '--interactive': 'same',
}

/** Options come before SERVICE; everything after it is the command, passed on untouched. */
export function parseExecArgs(
  args: readonly string[],
  lookup: (name: string) => string | undefined = (name) => process.env[name],
): ExecCommandLine {
  const env: Record<string, string> = {}
  const flags = { detach: false, privileged: false }
  const values: { user?: string; workdir?: string; index?: string } = {}
  let i = 0
  for (; i < args.length && args[i]!.startsWith('-'); i++) {
    const arg = args[i]!
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1
    const [flag, inline] = eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined]
    const takes =
      WITH_VALUE[flag] ?? (flag.length > 2 && !flag.startsWith('--') ? WITH_VALUE[flag.slice(0, 2)] : undefined)
    if (takes) {
      const value = inline ?? (flag.length > 2 && !flag.startsWith('--') ? flag.slice(2) : args[++i])
      if (value === undefined) throw new UsageError(`exec: ${flag} needs a value`)
      if (takes === 'env') addVariable(env, value, lookup)
      else values[takes] = value
      continue
    }
    // Short flags may be grouped: -dT.
    const shorts = !flag.startsWith('--') && flag.length > 2 ? [...flag.slice(1)].map((c) => `-${c}`) : [flag]
    for (const short of shorts) {
      const meaning = BOOLEAN[short]
      if (!meaning || inline !== undefined) throw new UsageError(`exec: unknown flag ${short}`)
      if (meaning !== 'same') flags[meaning] = true
    }
  }
  const [service, ...command] = args.slice(i)
  if (!service || command.length === 0)
    throw new UsageError('exec: give a service and a command, as in `exec web ls -l`')
  return {
    service,
    command,
    index: containerIndex('exec', values.index),
    env,
    ...flags,
    ...(values.user !== undefined && { user: values.user }),
    ...(values.workdir !== undefined && { workingDir: values.workdir }),
  }
}

function addVariable(env: Record<string, string>, entry: string, lookup: (name: string) => string | undefined): void {
  const eq = entry.indexOf('=')
  const [name, value] = eq < 0 ? [entry, lookup(entry)] : [entry.slice(0, eq), entry.slice(eq + 1)]
  if (!name) throw new UsageError(`exec: -e takes KEY=VALUE or KEY, got ${entry}`)
  if (value !== undefined) env[name] = value
}

/**
 * `exec`: the command's output as it comes, this process's input as the command's (until it ends
 * or the command exits), and the command's exit code as the CLI's.
 */
export const exec: Command = async (compose, args) => {
  const line = parseExecArgs(args)
  const handle = await containerOf(compose, 'exec', line.service, line.index)
  const { State } = await handle.inspect()
  if (!State.Running) {
    throw new ResourceError(
      `exec: service "${line.service}" is not running (${handle.name} ${State.Status === 'exited' ? `exited with code ${State.ExitCode}` : `is ${State.Status}`}); start it with \`start ${line.service}\``,
    )
  }
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
