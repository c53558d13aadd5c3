import { Writable } from 'node:stream'
import type { ComposeProject, HookSpec, ServiceSpec } from '../../model/project/types.js'
import { logLines } from './container-logs.js'
import { networksByPriority } from '../create/container-spec.js'
import { COMPOSE_VERSION, LABEL, SESSION_LABEL } from '../engine/labels.js'
import type { Engine } from '../engine/engine.js'
import { execStreaming } from './exec-stream.js'
import { HarnessError } from '../../errors.js'
import { deleteContainer, stopContainer } from '../engine/remove.js'

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
    if (code !== 0) throw exitedWith(where, code, (err.join('') || out.join('')).split('\n'))
  }
}

/** A hook's failure: where, its status, and its last lines of output. */
function exitedWith(where: string, code: number, output: readonly string[]): HookFailedError {
  const tail = output
    .filter((l) => l.trim() !== '')
    .slice(-TAIL_LINES)
    .join('\n  ')
  return new HookFailedError(`${where} exited with status ${code}${tail ? `:\n  ${tail}` : ''}`)
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

/**
 * Runs a service's `pre_start` steps, one after another, each in a container of its own as Compose
 * v2 runs them: the step's image (the service's by default), its command, user and directory, the
 * service's environment with the step's over it, the volumes of the service's container
 * (`volumesFrom`, created and not started yet) and its first network. Each container is removed
 * once it has exited; the first step that exits otherwise than 0 throws HookFailedError with its
 * last output lines.
 */
export async function runPreStart(
  engine: Engine,
  project: string,
  service: ServiceSpec,
  volumesFrom: string,
  network: string | undefined,
  session?: string,
): Promise<void> {
  const docker = engine.container.dockerode
  for (const [i, step] of (service.run.preStart ?? []).entries()) {
    const where = `services.${service.name}.pre_start[${i}]`
    const environment = { ...service.environment, ...step.environment }
    const container = await docker.createContainer({
      Image: step.image ?? service.image,
      ...(step.command.length > 0 && { Cmd: [...step.command] }),
      ...(step.user !== undefined && { User: step.user }),
      ...(step.workingDir !== undefined && { WorkingDir: step.workingDir }),
      Env: Object.entries(environment).map(([k, v]) => `${k}=${v}`),
      Labels: {
        [LABEL.project]: project,
        [LABEL.service]: service.name,
        [LABEL.hook]: 'pre_start',
        [LABEL.version]: COMPOSE_VERSION,
        ...(session && { [SESSION_LABEL]: session }),
      },
      HostConfig: {
        VolumesFrom: [volumesFrom],
        NetworkMode: network ?? 'none',
        ...(step.privileged && { Privileged: true }),
      },
    })
    try {
      const exited = container.wait({ condition: 'next-exit' }) as Promise<{ StatusCode: number }>
      await container.start()
      const { StatusCode } = await exited
      if (StatusCode !== 0) throw exitedWith(where, StatusCode, await logLines(engine, container.id, TAIL_LINES))
    } finally {
      await deleteContainer(engine, container.id)
    }
  }
}

/**
 * The network a `pre_start` container joins: the service's first by priority (its engine name), or
 * its `network_mode` (but `service:`, whose container may not run yet); none when it has neither.
 */
export function primaryNetwork(project: ComposeProject, service: ServiceSpec): string | undefined {
  if (service.networkMode) return service.networkMode.startsWith('service:') ? undefined : service.networkMode
  const [first] = networksByPriority(service)
  return first && project.networks[first[0]]?.name
}
