import type { Compose } from '../compose.js'
import type { StartedCompose } from '../started-compose.js'
import { parseCommandArgs, UsageError } from './args.js'
import type { Io } from './project-commands.js'
import { logPrefixer, wantsColour } from './log-prefixer.js'
import { progressPrinter } from './progress.js'

const INTERRUPTED = 130
/** 128 + SIGPIPE, what a shell reports for a command whose output pipe was closed. */
const READER_GONE = 141

export async function upCommand(compose: Compose, args: string[], { say, warn, readerGone }: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs('up', args, {
    detach: { type: 'boolean', short: 'd' },
    build: { type: 'boolean' },
    'no-build': { type: 'boolean' },
    'force-recreate': { type: 'boolean' },
    'no-recreate': { type: 'boolean' },
    'remove-orphans': { type: 'boolean' },
    scale: { type: 'string', multiple: true },
    wait: { type: 'boolean' },
    'down-on-exit': { type: 'boolean' },
    timeout: { type: 'string', short: 't' },
  })
  if (values.build && values['no-build']) throw new UsageError('up: --build and --no-build contradict each other')
  if (values['force-recreate'] && values['no-recreate']) throw new UsageError('up: --force-recreate and --no-recreate contradict each other')
  const timeoutS = seconds('up', values.timeout)
  const progress = progressPrinter(say)
  const started = await compose.up({
    ...(positionals.length > 0 && { services: positionals }),
    build: values.build ? 'always' : values['no-build'] ? 'never' : 'missing',
    recreate: values['force-recreate'] ? 'force' : values['no-recreate'] ? 'never' : 'changed',
    removeOrphans: Boolean(values['remove-orphans']),
    scale: parseScale(values.scale ?? []),
    waitHealthy: Boolean(values.wait),
    reap: !values.detach,
    onBuild: progress.build,
    onEvent: progress.converge,
    onWarning: (w) => warn(`WARN ${w}`),
  })
  if (values.detach) return 0
  return attach(started, { downOnExit: Boolean(values['down-on-exit']), timeoutS }, say, readerGone)
}

/** `--scale web=3 --scale worker=0` → `{ web: 3, worker: 0 }`. */
export function parseScale(entries: readonly string[]): Record<string, number> {
  return Object.fromEntries(entries.map((entry) => {
    const m = /^([^=]+)=(\d+)$/.exec(entry)
    if (!m) throw new UsageError(`up: --scale takes SERVICE=NUMBER, got ${entry}`)
    return [m[1]!, Number(m[2])]
  }))
}

export function seconds(command: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${command}: --timeout takes whole seconds, got ${value}`)
  return n
}

/**
 * Streams every container's output until they all exit or the user interrupts, as `docker compose up`
 * does. Losing the reader of the output (`up | head`) counts as an interruption: the project is
 * stopped (removed with --down-on-exit) rather than left running behind a finished pipeline.
 */
async function attach(
  started: StartedCompose,
  { downOnExit, timeoutS }: { downOnExit: boolean; timeoutS: number | undefined },
  say: (line: string) => void,
  readerGone: Promise<void>,
): Promise<number> {
  const names = started.services.map((h) => `${h.service}-${h.number}`)
  const prefix = logPrefixer(names, wantsColour(process.stdout, process.env))
  say(`Attaching to ${names.join(', ')}`)
  const unfollow: (() => void)[] = []
  const allExited = Promise.all(
    started.services.map(
      (handle, i) =>
        new Promise<void>((resolve) => {
          const onEnd = (): void => {
            handle.waitForExit({ timeoutMs: 5_000 }).then((code) => say(`${names[i]} exited with code ${code}`), () => undefined).finally(resolve)
          }
          handle.follow((line) => say(prefix(names[i]!, line)), onEnd).then((stop) => unfollow.push(stop), () => resolve())
        }),
    ),
  )
  const timeout = timeoutS === undefined ? {} : { timeoutS }
  const finish = (): Promise<void> => (downOnExit ? started.down(timeout) : started.stop(timeout))
  const interrupted = new Promise<'interrupted'>((resolve) => {
    const onSignal = (): void => {
      say('Gracefully stopping... (press Ctrl+C again to force)')
      process.once('SIGINT', () => {
        say('Killing...')
        void started.kill()
      })
      resolve('interrupted')
    }
    process.once('SIGINT', onSignal)
    process.once('SIGTERM', onSignal)
  })
  const outcome = await Promise.race([allExited.then(() => 'exited' as const), interrupted, readerGone.then(() => 'reader gone' as const)])
  if (outcome !== 'exited' || downOnExit) await finish()
  await Promise.race([allExited, new Promise((r) => setTimeout(r, 1000))])
  unfollow.forEach((stop) => stop())
  if (downOnExit) say(`Project ${started.name} removed`)
  return outcome === 'interrupted' ? INTERRUPTED : outcome === 'reader gone' ? READER_GONE : 0
}
