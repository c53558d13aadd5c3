import { parsePort } from '../../model/fields/port-fields.js'
import { shellWords } from '../../model/document/shell-words.js'
import type { PortSpec } from '../../model/project/types.js'
import type { RunOptions } from '../../api/one-off-run.js'
import { UsageError } from '../usage-error.js'
import { COMMAND_SETTINGS, parseOptions, readVariables, type OptionTable } from '../options.js'
import { progressOf } from '../progress.js'
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
  'remove-orphans': { type: 'boolean' },
  'no-TTY': { type: 'boolean', short: 'T' },
  interactive: { type: 'boolean', short: 'i' },
} as const satisfies OptionTable

/** `run [OPTIONS] SERVICE [COMMAND…]`, read as `docker compose run` reads it: options before SERVICE, the command untouched. */
export function parseRunArgs(
  args: readonly string[],
  lookup: (name: string) => string | undefined = (name) => process.env[name],
): { readonly service: string; readonly options: RunOptions } {
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
  const labels = Object.fromEntries(
    (values.label ?? []).map((l) => {
      const eq = l.indexOf('=')
      return eq < 0 ? [l, ''] : [l.slice(0, eq), l.slice(eq + 1)]
    }),
  )
  const pull = pullOverride('run', values.pull)
  const { user, workdir: workingDir, name } = values
  return {
    service,
    options: {
      ...(command.length > 0 && { command }),
      ...(words && { entrypoint: words }),
      environment: readVariables('run', values.env ?? [], lookup),
      labels,
      publish,
      servicePorts: values['service-ports'] === true,
      useAliases: values['use-aliases'] === true,
      noDeps: values['no-deps'] === true,
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

/**
 * `run`: brings up what the service depends on, then runs a one-off container of it, attached:
 * its output as it comes, this process's input as its input, and its exit code as the CLI's.
 * Ctrl+C (and SIGTERM) are passed on to the container. With -d, prints its ID and returns.
 */
export const run: Command = async (compose, args, io) => {
  const { service, options } = parseRunArgs(args)
  const progress = progressOf(io)
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
      onBuild: progress.build,
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
