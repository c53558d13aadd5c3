import { parsePort } from '../../model/fields/port-fields.js'
import { shellWords } from '../../model/document/shell-words.js'
import type { PortSpec } from '../../model/project/types.js'
import type { RunOptions } from '../../api/one-off-run.js'
import { UsageError } from '../usage-error.js'
import { COMMAND_SETTINGS, keyValueOf, parseOptions, readVariables, type OptionTable } from '../options.js'
import { isSwitchedOn } from '../../model/document/values.js'
import { progressOf, progressPrinter } from '../progress.js'
import { parseDotenv } from '../../model/interpolate/dotenv.js'
import { readFileSync } from 'node:fs'
import type { Command } from './command.js'
import { pullOverride } from './up.js'

/** `run`'s options, all before SERVICE. -T and -i are what the harness always does: accepted. */
export const RUN_OPTIONS = {
  ...COMMAND_SETTINGS,
  entrypoint: { type: 'string' },
  name: { type: 'string' },
  label: { type: 'string', short: 'l', multiple: true },
  publish: { type: 'string', short: 'p', multiple: true },
  pull: { type: 'string' },
  volume: { type: 'string', short: 'v', multiple: true },
  detach: { type: 'boolean', short: 'd' },
  rm: { type: 'boolean' },
  'no-deps': { type: 'boolean' },
  'service-ports': { type: 'boolean' },
  'use-aliases': { type: 'boolean' },
  build: { type: 'boolean' },
  'quiet-pull': { type: 'boolean' },
  'quiet-build': { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  'cap-add': { type: 'string', multiple: true },
  'cap-drop': { type: 'string', multiple: true },
  'env-from-file': { type: 'string', multiple: true },
  'remove-orphans': { type: 'boolean' },
  'no-TTY': { type: 'boolean', short: 'T' },
  interactive: { type: 'boolean', short: 'i' },
} as const satisfies OptionTable

/** What `run`'s command line asks for: the service, the one-off's options, and what is shown. */
export interface RunArgs {
  readonly service: string
  readonly options: RunOptions
  /** `-q`: no progress. Compose 2.40 says "nothing on STDOUT", yet prints the container's output and ID: so does the harness. */
  readonly quiet: boolean
  /** `--quiet-build`: no build steps shown. */
  readonly quietBuild: boolean
}

/** `run [OPTIONS] SERVICE [COMMAND…]`, read as `docker compose run` reads it: options before SERVICE, the command untouched. */
export function parseRunArgs(
  args: readonly string[],
  lookup: (name: string) => string | undefined = (name) => process.env[name],
  readText: (file: string) => string = (file) => readFileSync(file, 'utf8'),
): RunArgs {
  const { values, positionals } = parseOptions('run', args, RUN_OPTIONS, { operandsEndOptions: true })
  const [service, ...command] = positionals
  if (!service) throw new UsageError('run: give a service, as in `run web` or `run web ls -l`')
  if (values.volume)
    throw new UsageError('run: -v is not supported by compose-harness: give the volume in the service’s `volumes`')
  if (values.detach && values.rm) throw new UsageError('run: --rm and -d cannot be combined')
  const entrypoint = values.entrypoint
  const words = entrypoint === undefined ? undefined : shellWords(entrypoint)
  if (entrypoint !== undefined && !words)
    throw new UsageError(`run: --entrypoint has an unterminated quote: ${entrypoint}`)
  const publish = (values.publish ?? []).flatMap((text): PortSpec[] => {
    const read = parsePort(text)
    if ('problem' in read) throw new UsageError(`run: -p ${read.problem}`)
    return read
  })
  const pull = pullOverride('run', values.pull)
  const { user, workdir: workingDir, name } = values
  const capAdd = values['cap-add'] ?? []
  const capDrop = values['cap-drop'] ?? []
  return {
    service,
    quiet: values.quiet === true,
    quietBuild: values['quiet-build'] === true,
    options: {
      ...(command.length > 0 && { command }),
      ...(words && { entrypoint: words }),
      environment: withEnvFiles(
        readVariables('run', values.env ?? [], lookup),
        values['env-from-file'] ?? [],
        readText,
      ),
      ...(capAdd.length > 0 && { capAdd }),
      ...(capDrop.length > 0 && { capDrop }),
      labels: labelsOf(values.label ?? []),
      publish,
      servicePorts: values['service-ports'] === true,
      useAliases: values['use-aliases'] === true,
      noDeps: values['no-deps'] === true,
      // The up of its dependencies: --remove-orphans alone (not COMPOSE_REMOVE_ORPHANS), and
      // COMPOSE_IGNORE_ORPHANS from the environment or the env files, as Compose v2's run reads them.
      ...(values['remove-orphans'] && { removeOrphans: true }),
      ...(isSwitchedOn(lookup('COMPOSE_IGNORE_ORPHANS')) && { ignoreOrphans: true }),
      detach: values.detach === true,
      remove: values.rm === true,
      ...(values.build && { build: 'always' as const }),
      ...(pull && { pull }),
      ...(user !== undefined && { user }),
      ...(workingDir !== undefined && { workingDir }),
      ...(name !== undefined && { name }),
    },
  }
}

/** `-l KEY=VALUE` (a label without `=` is empty). */
function labelsOf(entries: readonly string[]): Record<string, string> {
  return Object.fromEntries(entries.map((l) => keyValueOf(l)))
}

/**
 * `--env-from-file FILE…` under `-e`: each file's variables (read as `.env` files are, `${…}` seeing
 * the `-e` ones) where `-e` does not set them, the first file first, as Compose v2 adds them.
 */
function withEnvFiles(
  environment: Record<string, string>,
  files: readonly string[],
  readText: (file: string) => string,
): Record<string, string> {
  const out = { ...environment }
  for (const file of files) {
    let text: string
    try {
      text = readText(file)
    } catch (error) {
      throw new UsageError(`run: --env-from-file ${file}: ${(error as Error).message}`)
    }
    let vars: Record<string, string>
    try {
      vars = parseDotenv(text, (name) => environment[name])
    } catch (error) {
      throw new UsageError(`run: --env-from-file ${file}: ${(error as Error).message}`)
    }
    for (const [key, value] of Object.entries(vars)) if (!(key in out)) out[key] = value
  }
  return out
}

/**
 * `run`: brings up what the service depends on, then runs a one-off container of it, attached:
 * its output as it comes, this process's input as its input, and its exit code as the CLI's.
 * Ctrl+C (and SIGTERM) are passed on to the container. With -d, prints its ID and returns.
 */
export const run: Command = async (compose, args, io) => {
  const { service, options, quiet, quietBuild } = parseRunArgs(args, (name) => compose.variable(name))
  const progress = quiet ? progressPrinter(io.status, 'quiet') : progressOf(io)
  let target: string | undefined
  const forward = (signal: NodeJS.Signals) => () => {
    if (target) void compose.signalOneOff(target, signal)
  }
  const onInt = forward('SIGINT')
  const onTerm = forward('SIGTERM')
  process.on('SIGINT', onInt).on('SIGTERM', onTerm)
  try {
    const result = await compose.run(service, {
      ...options,
      interactive: !options.detach,
      ...(!options.detach && { stdin: process.stdin }),
      onCreated: (c) => (target = c.id),
      ...(!quietBuild && { onBuild: progress.build }),
      onProgress: progress.step,
      onWarning: (w) => io.warn(`WARN ${w}`),
    })
    progress.done()
    if (options.detach) {
      io.say(result.id)
      return 0
    }
    return result.exitCode ?? 1
  } finally {
    process.off('SIGINT', onInt).off('SIGTERM', onTerm)
    // The run is over: stop reading the terminal or pipe, so that this process can end.
    process.stdin.destroy()
  }
}
