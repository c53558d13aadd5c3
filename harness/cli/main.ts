import { readFileSync } from 'node:fs'
import type { Compose, ComposeSettings } from '../api/compose.js'
import { HarnessError } from '../errors.js'
import { outputModes, parallelLimit, splitCommandLine, type GlobalFlags } from './global-flags.js'
import { UsageError } from './usage-error.js'
import { COMMANDS, USAGE, type ProjectCommandEntry } from './registry.js'
import { outputFor } from './output.js'
import { connectionLost, EngineGoneError, messageOf } from '../runtime/engine/runtime-errors.js'
import type { Io } from './io.js'
import { goBoolean } from '../model/document/values.js'
import { FILE_SYSTEM, findProject, projectFiles, type FoundProject } from './project-files.js'

const stdout = outputFor(process.stdout)
const stderr = outputFor(process.stderr)

/**
 * Where the output goes: status lines to stderr, or to stdout when COMPOSE_STATUS_STDOUT is true as Go's
 * ParseBool reads it (any other value is false, as in Compose v2; exported only: an env file's does not count).
 */
function ioFor(env: NodeJS.ProcessEnv): Io {
  const statusToStdout = goBoolean(env.COMPOSE_STATUS_STDOUT ?? '') === true
  const statusOutput = statusToStdout ? stdout : stderr
  return {
    say: stdout.line,
    sayText: stdout.text,
    warn: stderr.line,
    status: statusOutput.line,
    statusText: statusOutput.text,
    statusStream: statusToStdout ? process.stdout : process.stderr,
    readerGone: stdout.readerGone,
    drained: stdout.drained,
  }
}

export async function main(argv: readonly string[]): Promise<number> {
  const { globals, command, rest } = splitCommandLine(argv, process.env)
  const io = ioFor(process.env)
  if (command === undefined || globals.help || command === 'help') {
    io.say(USAGE)
    return command === undefined && !globals.help ? 1 : 0
  }
  const entry = Object.hasOwn(COMMANDS, command) ? COMMANDS[command]! : undefined
  if (!entry) throw new UsageError(`unknown command "${command}"`)
  // After `exec [OPTIONS] SERVICE` and `run [OPTIONS] SERVICE`, --help belongs to the command run in the container.
  const firstWord = rest.findIndex((a) => !a.startsWith('-'))
  const ownArgs = (command === 'exec' || command === 'run') && firstWord >= 0 ? rest.slice(0, firstWord) : rest
  if (ownArgs.includes('--help') || ownArgs.includes('-h')) {
    io.say(entry.help)
    return 0
  }
  for (const line of globals.deprecations ?? []) io.warn(line)
  // `-H HOST`, `--context NAME`: the engine this command talks to, as the docker CLI's flags say it.
  if (globals.host !== undefined) process.env.DOCKER_HOST = globals.host
  if (globals.context !== undefined) process.env.DOCKER_CONTEXT = globals.context
  // `--tlsverify --tlscacert FILE …`: given to the engine's client as DOCKER_TLS_VERIFY and DOCKER_CERT_PATH.
  // Checked whatever the engine's address, as Compose v2 checks them; TLS is for an engine over TCP.
  if (globals.tls) {
    const tls = (await import('../runtime/engine/engine-tls.js')).engineTlsVariables(globals.tls)
    if (process.env.DOCKER_HOST?.startsWith('tcp://')) Object.assign(process.env, tls)
  }
  // As Compose v2 does before any command: the COMPOSE_* variables of the env files count as exported
  // (a command without a project takes them when it can read them, and goes on without them otherwise).
  const found = entry.project === 'none' ? foundOrNone(globals) : findProject(globals, process.env, FILE_SYSTEM)
  for (const [name, value] of Object.entries(found?.composeVariables ?? {})) process.env[name] ??= value
  // The command, the model and the API are loaded only now: `--help` never reads them.
  const commandIo = {
    ...io,
    ...outputModes(globals, process.env, io.warn),
    ...(globals.dryRun && { dryRun: true }),
  }
  // Loaded only for a dry run: the engine's client is never part of the CLI's start.
  if (globals.dryRun) (await import('../runtime/engine/engine.js')).dryRunOnly()
  if (entry.project === 'none') return (await entry.load()).run(globals, rest, commandIo)
  for (const warning of found!.warnings) io.warn(`WARN ${warning}`)
  const [{ run }, compose] = await Promise.all([entry.load(), composeFor(globals, found!, entry.project)])
  return run(compose, rest, commandIo)
}

function foundOrNone(globals: GlobalFlags): FoundProject | undefined {
  try {
    return findProject(globals, process.env, FILE_SYSTEM)
  } catch {
    return undefined
  }
}

async function composeFor(
  globals: GlobalFlags,
  found: FoundProject,
  kind: ProjectCommandEntry['project'],
): Promise<Compose> {
  const { Compose } = await import('../api/compose.js')
  const parallel = parallelLimit(globals, process.env)
  const named = process.env.COMPOSE_PROJECT_NAME
  // As Compose v2 decides it (`toProjectName`): `-p NAME` or COMPOSE_PROJECT_NAME is the project by
  // its name, files given or not; else the files are read for the name alone.
  if (kind === 'name') {
    // Its variables (`exec -e KEY`) come from the env files, or the project directory's `.env`, as v2 reads them.
    const variables = {
      files: found.files,
      ...(found.envFiles && { envFiles: found.envFiles }),
      ...(globals.projectDirectory !== undefined && { projectDirectory: globals.projectDirectory }),
    }
    if (globals.projectName || named) return Compose.byName(globals.projectName || named!, variables)
    return Compose.byName((await projectOf(Compose, globals, found, parallel)).load().project.name, variables)
  }
  if (kind === 'files-or-name' && globals.files.length === 0) {
    // As Compose v2 decides it (`projectOrName`): `-p NAME` without `-f` is the project by its name,
    // compose file or not; a name from COMPOSE_PROJECT_NAME only where no compose file is found.
    if (globals.projectName) return Compose.byName(globals.projectName)
    if (named && found.files.length === 0) return Compose.byName(named)
  }
  return projectOf(Compose, globals, found, parallel)
}

/** The project the global flags, and the files found for them, describe (a project in a registry, `-f oci://…`, fetched). */
async function projectOf(
  compose: typeof Compose,
  globals: GlobalFlags,
  found: FoundProject,
  parallel: number | undefined,
): Promise<Compose> {
  const settings: ComposeSettings = {
    files: projectFiles(found),
    // `-f -`: the file is the standard input, read whole, as Compose v2 reads it.
    ...(found.files.includes('-') && { standardInput: readFileSync(0, 'utf8') }),
    onBusy: (message) => stderr.line(`WAIT ${message}`),
    ...(globals.projectName !== undefined && { projectName: globals.projectName }),
    ...(globals.projectDirectory !== undefined && { projectDirectory: globals.projectDirectory }),
    ...(found.envFiles && { envFiles: found.envFiles }),
    ...(found.environment && { environment: found.environment }),
    ...(globals.profiles.length > 0 && { profiles: globals.profiles }),
    ...(globals.allResources && { allResources: true }),
    ...(parallel !== undefined && { parallel }),
    ...(globals.compatibility && { compatibility: true }),
  }
  const { fetchRemoteFiles } = await import('../api/remote-files.js')
  return compose.fromSettings(await fetchRemoteFiles(settings))
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
