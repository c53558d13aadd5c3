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
  /** `--abort-on-container-exit`: the first container to exit ends the run, and its exit code is the run's. */
  readonly abortOnExit: boolean
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
  // `attach: false` in the file is a standing --no-attach, which --attach SERVICE overrides.
  const attached = (service: string): boolean =>
    !options.noAttach?.includes(service) &&
    (options.attach?.length ? options.attach.includes(service) : services[service]?.run.attach !== false)
  const handles = started.services.filter((h) => attached(h.service))
  const output = followOutput(handles, io, options.look)
  say(`Attaching to ${output.names.join(', ')}`)
  // Each container's exit code once its output ends (undefined when it cannot be read).
  const exits = output.ended.map(async (ended, i) => {
    if (!(await ended)) return undefined
    const code = await handles[i]!.waitForExit({ timeoutMs: 5_000 }).catch(() => undefined)
    if (code !== undefined) say(`${output.names[i]} exited with code ${code}`)
    return code
  })
  const allExited = Promise.all(exits)
  const firstExit = Promise.race(exits)
  const outcome = await Promise.race<Outcome>([
    allExited.then(() => 'exited'),
    ...(options.abortOnExit ? [firstExit.then(() => 'aborted' as const)] : []),
    interruption(started, say),
    io.readerGone.then(() => 'reader gone'),
  ])
  if (outcome === 'aborted') say('Aborting on container exit...')
  const chosen =
    options.exitCodeFrom === undefined ? undefined : handles.find((h) => h.service === options.exitCodeFrom)
  let chosenCode: number | undefined
  if (outcome !== 'exited' || options.downOnExit) {
    const timeout = options.timeoutS === undefined ? {} : { timeoutS: options.timeoutS }
    await showingProgress(io, (onProgress) => started.stop({ ...timeout, onProgress }))
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
  return outcome === 'aborted' ? ((await firstExit) ?? 1) : 0
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
