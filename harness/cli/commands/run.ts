import { parsePort } from '../../model/fields/port-fields.js'
import { shellWords } from '../../model/document/shell-words.js'
import type { PortSpec } from '../../model/project/types.js'
import type { RunOptions } from '../../api/one-off-run.js'
import { UsageError } from '../args.js'
import { COMMAND_SETTINGS, parseLeadingOptions, readVariables } from '../leading-options.js'
import { progressPrinter } from '../progress.js'
import type { Command } from './command.js'
import { pullOverride } from './up.js'

const OPTIONS = {
  values: {
    ...COMMAND_SETTINGS,
    '--entrypoint': 'entrypoint',
    '--name': 'name',
    '-l': 'label',
    '--label': 'label',
    '-p': 'publish',
    '--publish': 'publish',
    '--pull': 'pull',
    '-v': 'volume',
    '--volume': 'volume',
  },
  flags: {
    '-d': 'detach',
    '--detach': 'detach',
    '--rm': 'rm',
    '--no-deps': 'no-deps',
    '--service-ports': 'service-ports',
    '--use-aliases': 'use-aliases',
    '--build': 'build',
    '--quiet-pull': 'quiet-pull',
    '--remove-orphans': 'remove-orphans',
    '-T': 'no-tty',
    '--no-TTY': 'no-tty',
    '-i': 'interactive',
    '--interactive': 'interactive',
  },
}

/** `run [OPTIONS] SERVICE [COMMAND…]`, read as `docker compose run` reads it: options before SERVICE, the command untouched. */
export function parseRunArgs(
  args: readonly string[],
  lookup: (name: string) => string | undefined = (name) => process.env[name],
): { readonly service: string; readonly options: RunOptions } {
  const { values, flags, rest } = parseLeadingOptions('run', args, OPTIONS)
  const [service, ...command] = rest
  if (!service) throw new UsageError('run: give a service, as in `run web` or `run web ls -l`')
  if (values.volume)
    throw new UsageError('run: -v is not supported by compose-harness: give the volume in the service’s `volumes`')
  if (flags.has('detach') && flags.has('rm')) throw new UsageError('run: --rm and -d cannot be combined')
  const last = (name: string) => values[name]?.at(-1)
  const entrypoint = last('entrypoint')
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
  const pull = pullOverride('run', last('pull'))
  const user = last('user')
  const workingDir = last('workdir')
  const name = last('name')
  return {
    service,
    options: {
      ...(command.length > 0 && { command }),
      ...(words && { entrypoint: words }),
      environment: readVariables('run', values.env ?? [], lookup),
      labels,
      publish,
      servicePorts: flags.has('service-ports'),
      useAliases: flags.has('use-aliases'),
      noDeps: flags.has('no-deps'),
      detach: flags.has('detach'),
      remove: flags.has('rm'),
      ...(flags.has('build') && { build: 'always' as const }),
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
  const progress = progressPrinter(io.warn, io.progress)
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
      onEvent: progress.converge,
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
