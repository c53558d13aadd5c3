import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Compose } from '../api/compose.js'
import { HarnessError } from '../errors.js'
import { splitCommandLine, UsageError, type GlobalFlags } from './args.js'
import { COMMAND_HELP, USAGE } from './help.js'
import { outputFor } from './output.js'
import { connectionLost, EngineGoneError, messageOf } from '../runtime/engine/runtime-errors.js'
import type { Io } from './io.js'
import type { ModelCase } from '../conformance/compare-model.js'

/**
 * The commands that, as in Compose v2, act on a project known only by its name (`-p NAME` or
 * COMPOSE_PROJECT_NAME) when there is no compose file: its containers are found by their labels.
 */
const BY_NAME = new Set([
  'down',
  'stop',
  'start',
  'restart',
  'ps',
  'rm',
  'images',
  'top',
  'logs',
  'kill',
  'pause',
  'unpause',
  'port',
  'wait',
])

/** The names Compose looks for when no -f is given, in its order. */
const DEFAULT_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml']

const stdout = outputFor(process.stdout)
const io: Io = {
  say: stdout.line,
  warn: outputFor(process.stderr).line,
  readerGone: stdout.readerGone,
  drained: stdout.drained,
}

export async function main(argv: readonly string[]): Promise<number> {
  const { globals, command, rest } = splitCommandLine(argv)
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    io.say(USAGE)
    return command === undefined ? 1 : 0
  }
  if (!(command in COMMAND_HELP)) throw new UsageError(`unknown command "${command}"`)
  // After `exec [OPTIONS] SERVICE` and `run [OPTIONS] SERVICE`, --help belongs to the command run in the container.
  const firstWord = rest.findIndex((a) => !a.startsWith('-'))
  const ownArgs = (command === 'exec' || command === 'run') && firstWord >= 0 ? rest.slice(0, firstWord) : rest
  if (ownArgs.includes('--help') || ownArgs.includes('-h')) {
    io.say(COMMAND_HELP[command]!)
    return 0
  }
  // The commands, the model and the API are loaded only now: `--help` never reads them.
  if (command === 'version') return (await import('./commands/version.js')).version(rest, io)
  if (command === 'ls') return (await import('./commands/ls.js')).ls(rest, io)
  if (command === 'compare')
    return (await import('./commands/compare.js')).compareCommand(modelCaseFor(globals), rest, io)
  const [{ COMMANDS }, compose] = await Promise.all([import('./commands/index.js'), composeFor(globals, command)])
  return COMMANDS[command]!(compose, rest, globals.progress ? { ...io, progress: globals.progress } : io)
}

async function composeFor(globals: GlobalFlags, command: string): Promise<Compose> {
  const { Compose } = await import('../api/compose.js')
  const named = globals.projectName ?? process.env.COMPOSE_PROJECT_NAME
  if (globals.files.length === 0 && named && BY_NAME.has(command) && !defaultFileIn(globals.projectDirectory ?? '.'))
    return Compose.byName(named)
  const files = globals.files.length > 0 ? globals.files : [defaultFile(globals.projectDirectory ?? '.')]
  return Compose.fromSettings({
    files,
    onBusy: (message) => io.warn(`WAIT ${message}`),
    ...(globals.projectName !== undefined && { projectName: globals.projectName }),
    ...(globals.projectDirectory !== undefined && { projectDirectory: globals.projectDirectory }),
    ...(globals.envFiles.length > 0 && { envFiles: globals.envFiles }),
    ...(globals.profiles.length > 0 && { profiles: globals.profiles }),
  })
}

/** The same files and settings as `composeFor`, as the comparison with Compose v2 takes them. */
function modelCaseFor(globals: GlobalFlags): ModelCase {
  return {
    files: (globals.files.length > 0 ? globals.files : [defaultFile(globals.projectDirectory ?? '.')]).map((f) =>
      resolve(f),
    ),
    environment: process.env,
    ...(globals.profiles.length > 0 && { profiles: globals.profiles }),
    ...(globals.projectName !== undefined && { projectName: globals.projectName }),
    ...(globals.projectDirectory !== undefined && { projectDirectory: resolve(globals.projectDirectory) }),
    ...(globals.envFiles.length > 0 && { envFiles: globals.envFiles.map((f) => resolve(f)) }),
  }
}

function defaultFileIn(directory: string): string | undefined {
  return DEFAULT_FILES.map((f) => resolve(directory, f)).find((f) => existsSync(f))
}

function defaultFile(directory: string): string {
  const found = defaultFileIn(directory)
  if (!found)
    throw new UsageError(`no compose file given (-f) and none of ${DEFAULT_FILES.join(', ')} in ${resolve(directory)}`)
  return found
}

/** The one place that turns a failure into what the user reads: the message, no stack trace. */
export function explain(error: unknown): string {
  if (error instanceof UsageError) return `${error.message}\nRun 'compose-harness --help' for usage.`
  if (error instanceof HarnessError) return error.message
  if (connectionLost(error)) return new EngineGoneError(messageOf(error)).message
  if (error instanceof AggregateError) return [error.message, ...error.errors.map((e) => `  ${explain(e)}`)].join('\n')
  return process.env.COMPOSE_HARNESS_DEBUG
    ? String((error as Error)?.stack ?? error)
    : String((error as Error)?.message ?? error)
}
