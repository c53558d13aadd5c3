import { checkServiceNames } from '../../model/project/service-selection.js'
import { envFlag, type OptionTable, parseOptions, type ParsedOptions, seconds } from '../options.js'
import { isSwitchedOn } from '../../model/document/values.js'
import type { Compose, UpOptions } from '../../api/compose.js'
import { UsageError } from '../usage-error.js'
import { attach, type AttachOptions } from '../attach.js'
import type { Command } from './command.js'
import type { StartedCompose } from '../../api/started-compose.js'
import type { Io } from '../io.js'
import { PULL_OVERRIDES, type PullOverride } from '../../runtime/images/pull-images.js'
import { progressOf } from '../progress.js'
import { watchUntilInterrupted } from './watch.js'
import { WatchLines } from '../follow-output.js'
import { menuWanted, startNavigationMenu } from '../navigation-menu.js'
import { checkWatchable } from '../../api/project-watch.js'

/** `up`'s options. */
export const UP_OPTIONS = {
  detach: { type: 'boolean', short: 'd' },
  menu: { type: 'boolean' },
  build: { type: 'boolean' },
  'no-build': { type: 'boolean' },
  'force-recreate': { type: 'boolean' },
  'no-recreate': { type: 'boolean' },
  'no-deps': { type: 'boolean' },
  'remove-orphans': { type: 'boolean' },
  scale: { type: 'string', multiple: true },
  wait: { type: 'boolean' },
  'wait-timeout': { type: 'string' },
  'down-on-exit': { type: 'boolean' },
  'abort-on-container-exit': { type: 'boolean' },
  'abort-on-container-failure': { type: 'boolean' },
  'always-recreate-deps': { type: 'boolean' },
  'attach-dependencies': { type: 'boolean' },
  'renew-anon-volumes': { type: 'boolean', short: 'V' },
  'quiet-build': { type: 'boolean' },
  'quiet-pull': { type: 'boolean' },
  watch: { type: 'boolean', short: 'w' },
  'exit-code-from': { type: 'string' },
  timeout: { type: 'string', short: 't' },
  attach: { type: 'string', multiple: true },
  'no-attach': { type: 'string', multiple: true },
  pull: { type: 'string' },
  'no-start': { type: 'boolean' },
  timestamps: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  'no-log-prefix': { type: 'boolean' },
  yes: { type: 'boolean', short: 'y' },
} as const satisfies OptionTable

/** What `up` read from its command line. */
type UpValues = ParsedOptions<typeof UP_OPTIONS>['values']

/** `up [-d] [--build|--no-build] [--wait] [--attach S]… [--no-attach S]… … [SERVICE…]`, attached to the containers' output unless `-d`. */
export const up: Command = async (compose, args, io) => {
  const { values, positionals } = parseOptions('up', args, UP_OPTIONS)
  checkUpFlags(values, positionals, compose)
  if (values.watch) checkWatchable(compose.load(), positionals)
  const noStart = Boolean(values['no-start'])
  const timeoutS = seconds('up', values.timeout)
  const progress = progressOf(io)
  const started = await compose
    .up({
      ...upOptions(values, positionals, isSwitchedOn(compose.variable('COMPOSE_IGNORE_ORPHANS'))),
      // --quiet-build: the build's steps are not shown (a failure still says what failed). A pull
      // shows no progress (--quiet-pull changes nothing).
      ...(!values['quiet-build'] && { onBuild: progress.build }),
      onProgress: progress.step,
      onWarning: (w) => io.warn(`WARN ${w}`),
    })
    .finally(progress.done)
  // --wait implies -d, as in Compose v2.
  if (values.detach || values.wait || noStart) return 0
  // A dry run has no containers' output to attach to: it ends there, as Compose v2's does.
  if (io.dryRun) {
    io.say("end of 'compose up' output, interactive run is not supported in dry-run mode")
    return 0
  }
  const exitCodeFrom = values['exit-code-from']
  const beside = besideOutput(started, values, positionals, io)
  return attach(
    started,
    {
      downOnExit: Boolean(values['down-on-exit']),
      timeoutS,
      abortOn: abortOn(values),
      ...(exitCodeFrom !== undefined && { exitCodeFrom }),
      services: positionals,
      attachDependencies: Boolean(values['attach-dependencies']),
      attach: values.attach ?? [],
      noAttach: values['no-attach'] ?? [],
      look: {
        timestamps: Boolean(values.timestamps),
        colour: !values['no-color'],
        ...(io.ansi && { ansi: io.ansi }),
        prefixed: !values['no-log-prefix'],
        ...(beside.watchLines && { watchLines: beside.watchLines }),
      },
    },
    beside.io,
  ).finally(() => beside.end())
}

/**
 * What runs beside the attached output until the run ends: `--watch`'s rules (a watch that fails
 * is said, and the run goes on attached), or, on a terminal, the menu of shortcuts.
 */
function besideOutput(
  started: StartedCompose,
  values: UpValues,
  services: readonly string[],
  io: Io,
): { readonly io: Io; readonly watchLines?: WatchLines; end(): Promise<void> } {
  if (values.watch) {
    let ended = (): void => {}
    const until = new Promise<void>((resolve) => (ended = resolve))
    // The watch's lines go among the containers', after the prefix Compose v2 gives its watch.
    const watchLines = new WatchLines(io)
    const among = { ...io, say: (line: string) => watchLines.say(line), warn: (line: string) => watchLines.warn(line) }
    const watching = watchUntilInterrupted(started, services, among, true, until).catch((error: unknown) =>
      io.warn(`WARN watch: ${(error as Error).message}`),
    )
    return {
      io,
      watchLines,
      async end() {
        ended()
        await watching
      },
    }
  }
  if (!menuWanted(values.menu, io, process.env, process)) return { io, end: async () => {} }
  const menu = menuOf(started, services, io)
  return { io: menu.io, watchLines: menu.watchLines, end: () => menu.close() }
}

/** `up`'s menu: `w` starts and stops the `develop.watch` rules of the services run. */
function menuOf(
  started: StartedCompose,
  services: readonly string[],
  io: Io,
): { readonly io: Io; readonly watchLines: WatchLines; close(): Promise<void> } {
  let running: { stop(): Promise<void> } | undefined
  // The watch's lines go where the menu lets the output go.
  const watchLines = new WatchLines({ say: (line) => shown.io.say(line), warn: (line) => shown.io.warn(line) })
  const shown = startNavigationMenu(
    io,
    async () => {
      if (running) {
        await running.stop()
        running = undefined
        return false
      }
      checkWatchable(started.loaded, services)
      running = await started.watch({
        ...(services.length > 0 && { services }),
        onLog: (line) => (line.startsWith('WARN ') ? watchLines.warn(line) : watchLines.say(line)),
      })
      return true
    },
    !process.env.NO_COLOR && io.ansi !== 'never',
  )
  return {
    io: shown.io,
    watchLines,
    async close() {
      shown.close()
      await running?.stop()
    },
  }
}

/**
 * What ends a foreground run before every attached container has exited: the first exit
 * (`--abort-on-container-exit`, implied by `--exit-code-from`), the first failure
 * (`--abort-on-container-failure`), or nothing.
 */
function abortOn(values: UpValues): AttachOptions['abortOn'] {
  if (values['abort-on-container-failure']) return 'failure'
  return values['abort-on-container-exit'] || values['exit-code-from'] !== undefined ? 'exit' : undefined
}

/** The flags that contradict each other, or name services `up` does not run, refused before anything starts. */
function checkUpFlags(values: UpValues, positionals: readonly string[], compose: Compose): void {
  const exitCodeFrom = values['exit-code-from']
  const attachTo = values.attach ?? []
  const notAttached = values['no-attach'] ?? []
  if (values.watch && values['no-build']) throw new UsageError('up: --no-build and --watch are incompatible')
  const foreground =
    values.watch ||
    values['abort-on-container-exit'] ||
    values['abort-on-container-failure'] ||
    values['attach-dependencies'] ||
    exitCodeFrom !== undefined
  if (values['no-start'] && (values.detach || values.wait || foreground))
    throw new UsageError('up: --no-start creates the containers only: drop -d, --wait and the foreground flags')
  if (values['abort-on-container-exit'] && values['abort-on-container-failure'])
    throw new UsageError('up: --abort-on-container-failure cannot be combined with --abort-on-container-exit')
  if ((values.detach || values.wait) && (foreground || attachTo.length > 0))
    throw new UsageError(
      `up: ${values.wait ? '--wait' : '-d'} cannot be combined with --abort-on-container-exit, --abort-on-container-failure, --exit-code-from, --attach, --attach-dependencies or --watch: they need the foreground`,
    )
  if (attachTo.length > 0 && values['attach-dependencies'])
    throw new UsageError('up: cannot combine --attach and --attach-dependencies')
  for (const flag of ['renew-anon-volumes', 'always-recreate-deps', 'force-recreate'] as const)
    if (values[flag] && values['no-recreate']) throw new UsageError(`up: --${flag} and --no-recreate are incompatible`)
  if (exitCodeFrom !== undefined && positionals.length > 0 && !positionals.includes(exitCodeFrom)) {
    throw new UsageError(
      `up: --exit-code-from ${exitCodeFrom} names a service that this up does not start (${positionals.join(', ')})`,
    )
  }
  if (values.build && values['no-build']) throw new UsageError('up: --build and --no-build contradict each other')
  // Loaded here only when a flag names services: `up` loads the files itself.
  const named = [...(exitCodeFrom === undefined ? [] : [exitCodeFrom]), ...attachTo, ...notAttached]
  if (named.length > 0) checkServiceNames(compose.withServicesEnabled(...positionals, ...named).load().project, named)
  if (
    exitCodeFrom !== undefined &&
    (notAttached.includes(exitCodeFrom) || (attachTo.length > 0 && !attachTo.includes(exitCodeFrom)))
  )
    throw new UsageError(`up: --exit-code-from ${exitCodeFrom} needs that service's output attached`)
}

/** The API's `up` options that the command line asks for. */
function upOptions(values: UpValues, positionals: readonly string[], ignoreOrphans: boolean): UpOptions {
  const noStart = Boolean(values['no-start'])
  const removeOrphans = values['remove-orphans'] ?? envFlag('COMPOSE_REMOVE_ORPHANS')
  // COMPOSE_IGNORE_ORPHANS comes from the project's environment (its env files too), as in Compose v2.
  if (ignoreOrphans && removeOrphans)
    throw new UsageError('up: cannot combine COMPOSE_IGNORE_ORPHANS and --remove-orphans')
  const pull = pullOverride('up', values.pull)
  const waitTimeoutS = seconds('up', values['wait-timeout'], '--wait-timeout')
  // -d, and --wait, which implies it (as in Compose v2), and --no-start: the run leaves what it made.
  const detached = Boolean(values.detach || values.wait) || noStart
  return {
    ...(positionals.length > 0 && { services: positionals }),
    build: values.build ? 'always' : values['no-build'] ? 'never' : 'missing',
    ...(pull && { pull }),
    // -V: the containers of the services named are recreated, each with new anonymous volumes (which
    // the harness always gives a new container: see the divergence anonymous-volumes-removed).
    recreate:
      values['force-recreate'] || values['renew-anon-volumes'] ? 'force' : values['no-recreate'] ? 'never' : 'changed',
    recreateDependencies: values['no-recreate'] ? 'never' : values['always-recreate-deps'] ? 'force' : 'changed',
    noDeps: Boolean(values['no-deps']),
    removeOrphans,
    ...(ignoreOrphans && { ignoreOrphans }),
    scale: parseScale(values.scale ?? []),
    waitHealthy: Boolean(values.wait),
    // The command ends with the wait: an exit at once has no later down to be found at, so it is waited out.
    settle: true,
    ...(waitTimeoutS !== undefined && { timeoutMs: waitTimeoutS * 1000 }),
    reap: !detached,
    noStart,
    // A failed `up -d` or `create` leaves what it made, as Compose v2 does (a foreground run's reaper removes it).
    keepOnFailure: detached,
    // A crash of the foreground run removes its containers and networks, never the named volumes.
    crashRemovesVolumes: false,
    // A command's project is the one it names, whatever the machine says about reuse in tests.
    reuse: false,
  }
}

/** `create`'s options: those of `up` that make containers, and no others. */
export const CREATE_OPTIONS = {
  build: UP_OPTIONS.build,
  'no-build': UP_OPTIONS['no-build'],
  'force-recreate': UP_OPTIONS['force-recreate'],
  'no-recreate': UP_OPTIONS['no-recreate'],
  'remove-orphans': UP_OPTIONS['remove-orphans'],
  scale: UP_OPTIONS.scale,
  pull: UP_OPTIONS.pull,
  'quiet-pull': UP_OPTIONS['quiet-pull'],
  yes: UP_OPTIONS.yes,
} as const satisfies OptionTable

/** `create [OPTIONS] [SERVICE…]`: `up --no-start`, as in Compose v2. */
export const create: Command = (compose, args, io) => {
  parseOptions('create', args, CREATE_OPTIONS)
  return up(compose, ['--no-start', ...args], io)
}

/** `--pull always|missing|never|build`, checked; undefined when not given. */
export function pullOverride(command: string, value: string | undefined): PullOverride | undefined {
  if (value === undefined) return undefined
  if (!PULL_OVERRIDES.includes(value as PullOverride))
    throw new UsageError(`${command}: --pull takes ${PULL_OVERRIDES.join(', ')}, got ${JSON.stringify(value)}`)
  return value as PullOverride
}

/** `--scale web=3 --scale worker=0` → `{ web: 3, worker: 0 }`. */
export function parseScale(entries: readonly string[]): Record<string, number> {
  return Object.fromEntries(
    entries.map((entry) => {
      const m = /^([^=]+)=(\d+)$/.exec(entry)
      if (!m) throw new UsageError(`up: --scale takes SERVICE=NUMBER, got ${entry}`)
      return [m[1]!, Number(m[2])]
    }),
  )
}
