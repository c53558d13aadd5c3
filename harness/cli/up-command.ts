import type { Compose } from '../compose.js'
import type { ConvergeEvent } from '../runtime/converge.js'
import type { StartedCompose } from '../started-compose.js'
import { parseCommandArgs, UsageError } from './args.js'
import { logPrefixer, wantsColour } from './log-prefixer.js'

const INTERRUPTED = 130

export async function upCommand(compose: Compose, args: string[], say: (line: string) => void): Promise<number> {
  const { values, positionals } = parseCommandArgs('up', args, {
    detach: { type: 'boolean', short: 'd' },
    build: { type: 'boolean' },
    'no-build': { type: 'boolean' },
    'down-on-exit': { type: 'boolean' },
    timeout: { type: 'string', short: 't' },
  })
  if (positionals.length > 0) throw new UsageError('up: choosing services is not supported yet; up starts the whole project')
  if (values.build && values['no-build']) throw new UsageError('up: --build and --no-build contradict each other')
  const timeoutS = values.timeout === undefined ? undefined : Number(values.timeout)
  if (timeoutS !== undefined && !(Number.isInteger(timeoutS) && timeoutS >= 0)) throw new UsageError(`up: --timeout takes whole seconds, got ${values.timeout}`)
  const started = await compose.up({
    build: values.build ? 'always' : values['no-build'] ? 'never' : 'missing',
    onBuilt: (service, ms) => say(`Image for ${service}  Built ${seconds(ms)}`),
    onEvent: (e) => say(`Container ${e.container}  ${describeAction(e)} ${seconds(e.ms)}`),
  })
  if (values.detach) return 0
  return attach(started, { downOnExit: Boolean(values['down-on-exit']), timeoutS }, say)
}

function describeAction(e: ConvergeEvent): string {
  return { kept: 'Running', started: 'Started', created: 'Started', recreated: 'Recreated' }[e.action]
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`
}

/** Streams every container's output until they all exit or the user interrupts, as `docker compose up` does. */
async function attach(started: StartedCompose, { downOnExit, timeoutS }: { downOnExit: boolean; timeoutS: number | undefined }, say: (line: string) => void): Promise<number> {
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
  const finish = (timeout?: number): Promise<void> => (downOnExit ? started.down({ timeoutS: timeout }) : started.stop({ timeoutS: timeout }))
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
  const outcome = await Promise.race([allExited.then(() => 'exited' as const), interrupted])
  if (outcome === 'interrupted' || downOnExit) await finish(timeoutS)
  await Promise.race([allExited, new Promise((r) => setTimeout(r, 1000))])
  unfollow.forEach((stop) => stop())
  if (downOnExit) say(`Project ${started.name} removed`)
  return outcome === 'interrupted' ? INTERRUPTED : 0
}
