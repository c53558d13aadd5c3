import { Writable } from 'node:stream'
import type { ComposeProject, HookSpec } from '../model/types.js'
import type { Engine } from './engine.js'
import { execStreaming } from './exec-stream.js'
import { HarnessError } from '../errors.js'
import { stopContainer } from './remove.js'

/** A service's lifecycle hooks, by service name; none for a service the files do not define. */
export type HooksOf = (service: string) => {
  readonly postStart?: readonly HookSpec[]
  readonly preStop?: readonly HookSpec[]
}

/** The hooks the project's files give each service. */
export function hooksOf(project: ComposeProject): HooksOf {
  return (service) => project.services[service]?.run ?? {}
}

/** How many of a failing hook's last output lines its error keeps. */
const TAIL_LINES = 10

/** A hook exited with a status other than 0 (or could not be run): which, where, and its last output. */
export class HookFailedError extends HarnessError {
  override readonly name = 'HookFailedError'
}

/**
 * Runs the hooks of one kind (`post_start`, `pre_stop`) in a container, one after another, as
 * Compose v2 runs them: as an exec with the hook's user, privileges, directory and environment.
 * The first that fails throws HookFailedError with its status and its last lines of output
 * (standard error first, as v2 reports it).
 */
export async function runHooks(
  engine: Engine,
  container: { readonly id: string; readonly service: string },
  kind: 'post_start' | 'pre_stop',
  hooks: readonly HookSpec[] = [],
): Promise<void> {
  for (const [i, hook] of hooks.entries()) {
    const out: string[] = []
    const err: string[] = []
    const where = `services.${container.service}.${kind}[${i}] (${hook.command.join(' ')})`
    if (hook.command.length === 0) throw new HookFailedError(`${where}: a hook needs a command to run`)
    let code: number
    try {
      code = await execStreaming(engine, container.id, hook.command, collect(out), collect(err), {
        env: hook.environment,
        ...(hook.user !== undefined && { user: hook.user }),
        ...(hook.workingDir !== undefined && { workingDir: hook.workingDir }),
        ...(hook.privileged && { privileged: true }),
      })
    } catch (cause) {
      throw new HookFailedError(`${where} could not be run: ${(cause as Error).message}`, { cause })
    }
    if (code === 0) continue
    const lines = (err.join('') || out.join('')).split('\n').filter((l) => l.trim() !== '')
    const tail = lines.slice(-TAIL_LINES).join('\n  ')
    throw new HookFailedError(`${where} exited with status ${code}${tail ? `:\n  ${tail}` : ''}`)
  }
}

/**
 * Stops a container after its service's `pre_stop` hooks. A failing hook does not keep the
 * container running: it is stopped all the same, and the hook's failure is thrown after.
 */
export async function stopAfterHooks(
  engine: Engine,
  container: { readonly id: string; readonly service: string; readonly running: boolean },
  timeoutS: number | undefined,
  hooks: HooksOf | undefined,
): Promise<void> {
  const preStop = container.running ? hooks?.(container.service).preStop : undefined
  try {
    await runHooks(engine, container, 'pre_stop', preStop)
  } finally {
    await stopContainer(engine, container.id, timeoutS)
  }
}

function collect(into: string[]): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      into.push(chunk.toString('utf8'))
      done()
    },
  })
}
