import type { ServiceHandle } from '../runtime/container/service-handle.js'
import { showingProgress } from './progress.js'
import { within } from '../runtime/engine/timeout-race.js'
import type { StartedCompose } from '../api/started-compose.js'
import { followOutput, type OutputLook } from './follow-output.js'
import type { Io } from './io.js'

const INTERRUPTED = 130
/** 128 + SIGPIPE, what a shell reports for a command whose output pipe was closed. */
const READER_GONE = 141

export interface AttachOptions {
  /** Remove the project when the run ends (compose-harness's `--down-on-exit`); else stop it when interrupted. */
  readonly downOnExit: boolean
  readonly timeoutS: number | undefined
  /**
   * What ends the run, stopping the rest, and gives the run its exit code: the first attached
   * container to exit (`exit`: `--abort-on-container-exit`), or the first to exit with a code other
   * than 0 (`failure`: `--abort-on-container-failure`). Otherwise the run ends once all have exited.
   */
  readonly abortOn?: 'exit' | 'failure' | undefined
  /** The services named (`up SERVICE…`): only theirs is streamed, unless `attachDependencies` (all when none is). */
  readonly services?: readonly string[]
  /** `--attach-dependencies`: the output of what the services named depend on is streamed too. */
  readonly attachDependencies?: boolean
  /** `--exit-code-from SERVICE`: the run's exit code is that service's (implies abortOnExit). */
  readonly exitCodeFrom?: string
  /** `--attach SERVICE…`: only these services' output is streamed, and only their exits end the run (all when empty). */
  readonly attach?: readonly string[]
  /** `--timestamps`, `--no-color`, `--no-log-prefix`: how the lines are shown. */
  readonly look?: OutputLook
  /** `--no-attach SERVICE…`: these services' output is not streamed, nor waited for (nor that of services the file gives `attach: false`). */
  readonly noAttach?: readonly string[]
}

type Outcome = 'exited' | 'aborted' | 'interrupted' | 'reader gone'

/**
 * Streams every container's output until they all exit or the user interrupts, as `docker compose
 * up` does; with abortOnExit, until the first one exits. Losing the reader of the output (`up | head`)
 * counts as an interruption: the project is stopped (removed with downOnExit) rather than left
 * running behind a finished pipeline. Resolves with the CLI's exit code.
 */
export async function attach(started: StartedCompose, options: AttachOptions, io: Io): Promise<number> {
  const { say } = io
  const { services } = started.loaded.project
  const handles = started.services.filter((h) => attachedTo(h.service, options, services[h.service]?.run.attach))
  const output = followOutput(handles, io, options.look)
  say(`Attaching to ${[...output.names].sort().join(', ')}`)
  // Each container's exit code once its output ends (undefined when it cannot be read).
  const exits = output.ended.map(async (ended, i) => {
    if (!(await ended)) return undefined
    const code = await handles[i]!.waitForExit({ timeoutMs: 5_000 }).catch(() => undefined)
    if (code !== undefined) say(`${output.names[i]} exited with code ${code}`)
    return code
  })
  const allExited = Promise.all(exits)
  // The exit that ends the run: the first (abortOn exit), or the first failure (abortOn failure).
  const aborting = new Promise<number | undefined>((resolve) => {
    for (const exit of exits)
      void exit.then((code) => {
        if (options.abortOn === 'exit' || (options.abortOn === 'failure' && code !== 0 && code !== undefined))
          resolve(code)
      })
  })
  const outcome = await Promise.race<Outcome>([
    allExited.then(() => 'exited'),
    ...(options.abortOn ? [aborting.then(() => 'aborted' as const)] : []),
    interruption(started, say),
    io.readerGone.then(() => 'reader gone'),
  ])
  if (outcome === 'aborted') say('Aborting on container exit...')
  const chosen =
    options.exitCodeFrom === undefined ? undefined : handles.find((h) => h.service === options.exitCodeFrom)
  let chosenCode: number | undefined
  if (outcome !== 'exited' || options.downOnExit) {
    const timeout = options.timeoutS === undefined ? {} : { timeoutS: options.timeoutS }
    // As in Compose v2, an abort or Ctrl+C stops the services named (all when none is): what they
    // depend on keeps running.
    const named = options.services?.length ? { services: options.services } : {}
    await showingProgress(io, (onProgress) => started.stop({ ...timeout, ...named, onProgress }))
    // Read before `down` removes the container: after the stop, its exit code is final.
    chosenCode = chosen && (await exitCodeOf(chosen))
    if (options.downOnExit) await showingProgress(io, (onProgress) => started.down({ ...timeout, onProgress }))
  }
  // Compose keeps what a foreground run stopped: without --down-on-exit, the reaper lets it be.
  if (!options.downOnExit) await started.release()
  // The last lines and exit notices, for up to a second; the timer does not hold the process after that.
  await within(allExited, 1000)
  await output.stop()
  if (options.downOnExit) say(`Project ${started.name} removed`)
  if (outcome === 'interrupted') return INTERRUPTED
  if (outcome === 'reader gone') return READER_GONE
  if (chosen) return chosenCode ?? (await exitCodeOf(chosen)) ?? 1
  return outcome === 'aborted' ? ((await aborting) ?? 1) : 0
}

/**
 * Whether a service's output is streamed, as Compose v2 picks them: those given with `--attach`;
 * else the services named (all when none is; their dependencies too with `--attach-dependencies`)
 * but those the file gives `attach: false`; never those given with `--no-attach`.
 */
export function attachedTo(
  service: string,
  options: Pick<AttachOptions, 'attach' | 'noAttach' | 'services' | 'attachDependencies'>,
  fileAttach: boolean | undefined,
): boolean {
  if (options.noAttach?.includes(service)) return false
  if (options.attach?.length) return options.attach.includes(service)
  const named = !options.services?.length || options.services.includes(service) || options.attachDependencies
  return Boolean(named) && fileAttach !== false
}

/** Resolves on the first Ctrl+C (or SIGTERM); a second Ctrl+C kills the containers. */
function interruption(started: StartedCompose, say: (line: string) => void): Promise<'interrupted'> {
  return new Promise((resolve) => {
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
}

async function exitCodeOf(handle: ServiceHandle): Promise<number | undefined> {
  const { State } = await handle.inspect().catch(() => ({ State: undefined }))
  return State && !State.Running ? State.ExitCode : undefined
}
