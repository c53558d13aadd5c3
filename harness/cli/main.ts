import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { stringify } from 'yaml'
import { Compose } from '../compose.js'
import { ComposeError } from '../compose/compose-error.js'
import { toComposeDocument } from '../compose/to-compose.js'
import { EngineUnreachableError, ServiceStartError } from '../runtime/runtime-errors.js'
import { parseCommandArgs, splitCommandLine, UsageError, type GlobalFlags } from './args.js'
import { COMMAND_HELP, USAGE } from './help.js'
import { seconds, upCommand } from './up-command.js'

/** The names Compose looks for when no -f is given, in its order. */
const DEFAULT_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml']

const say = (line: string): void => {
  process.stdout.write(`${line}\n`)
}
const warn = (line: string): void => {
  process.stderr.write(`${line}\n`)
}

export async function main(argv: readonly string[]): Promise<number> {
  const { globals, command, rest } = splitCommandLine(argv)
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    say(USAGE)
    return command === undefined ? 1 : 0
  }
  if (!(command in COMMAND_HELP)) throw new UsageError(`unknown command "${command}"`)
  if (rest.includes('--help') || rest.includes('-h')) {
    say(COMMAND_HELP[command]!)
    return 0
  }
  const compose = composeFor(globals)
  switch (command) {
    case 'up':
      return upCommand(compose, rest, say, warn)
    case 'down': {
      const { values } = parseCommandArgs('down', rest, { timeout: { type: 'string', short: 't' }, volumes: { type: 'boolean', short: 'v' }, 'remove-orphans': { type: 'boolean' } })
      const timeoutS = seconds('down', values.timeout)
      await compose.down({ volumes: Boolean(values.volumes), ...(timeoutS !== undefined && { timeoutS }) })
      return 0
    }
    case 'stop':
    case 'restart': {
      const { values, positionals } = parseCommandArgs(command, rest, { timeout: { type: 'string', short: 't' } })
      const timeoutS = seconds(command, values.timeout)
      const options = { ...(positionals.length > 0 && { services: positionals }), ...(timeoutS !== undefined && { timeoutS }) }
      await compose.stop(options)
      if (command === 'restart') await compose.start(options)
      return 0
    }
    case 'start': {
      const { positionals } = parseCommandArgs('start', rest, {})
      await compose.start(positionals.length > 0 ? { services: positionals } : {})
      return 0
    }
    case 'ps': {
      parseCommandArgs('ps', rest, {})
      const rows = (await compose.ps()).map((c) => [c.name, c.service, c.status])
      for (const row of [['NAME', 'SERVICE', 'STATUS'], ...rows]) say(row.map((cell, i) => (i < 2 ? cell.padEnd(28) : cell)).join(' '))
      return 0
    }
    case 'config': {
      const { values } = parseCommandArgs('config', rest, { services: { type: 'boolean' }, format: { type: 'string' } })
      if (values.format !== undefined && values.format !== 'yaml' && values.format !== 'json') throw new UsageError(`config: --format is yaml or json, got ${values.format}`)
      const { project } = compose.load()
      for (const warning of project.warnings) warn(`WARN ${warning}`)
      const doc = toComposeDocument(project)
      say(values.services ? Object.keys(project.services).join('\n') : values.format === 'json' ? JSON.stringify(doc, null, 2) : stringify(doc).trimEnd())
      return 0
    }
    case 'build':
      parseCommandArgs('build', rest, {})
      await compose.build('always', (service, ms) => say(`Image for ${service}  Built ${(ms / 1000).toFixed(1)}s`))
      return 0
  }
  return 1
}

function composeFor(globals: GlobalFlags): Compose {
  const files = globals.files.length > 0 ? globals.files : [defaultFile(globals.projectDirectory ?? '.')]
  return Compose.fromSettings({
    files,
    ...(globals.projectName !== undefined && { projectName: globals.projectName }),
    ...(globals.projectDirectory !== undefined && { projectDirectory: globals.projectDirectory }),
    ...(globals.envFiles.length > 0 && { envFiles: globals.envFiles }),
    ...(globals.profiles.length > 0 && { profiles: globals.profiles }),
  })
}

function defaultFile(directory: string): string {
  const found = DEFAULT_FILES.map((f) => resolve(directory, f)).find((f) => existsSync(f))
  if (!found) throw new UsageError(`no compose file given (-f) and none of ${DEFAULT_FILES.join(', ')} in ${resolve(directory)}`)
  return found
}

/** The one place that turns a failure into what the user reads: the message, no stack trace. */
export function explain(error: unknown): string {
  if (error instanceof UsageError) return `${error.message}\nRun 'compose-harness --help' for usage.`
  if (error instanceof ComposeError) return error.message
  if (error instanceof ServiceStartError || error instanceof EngineUnreachableError) return error.message
  if (error instanceof AggregateError) return [error.message, ...error.errors.map((e) => `  ${explain(e)}`)].join('\n')
  return process.env.COMPOSE_HARNESS_DEBUG ? String((error as Error)?.stack ?? error) : String((error as Error)?.message ?? error)
}
