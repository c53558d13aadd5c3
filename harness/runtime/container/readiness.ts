import type { ContainerInspectInfo } from 'dockerode'
import type { DependencyCondition, ServiceSpec } from '../../model/project/types.js'
import { logLines } from './container-logs.js'
import { containerChanges } from './container-changes.js'
import { endpointOf } from '../engine/endpoint.js'
import { portAccepts, probeTcp } from './port-probe.js'
import { isLoopback, onThisMachine } from '../engine/publish-address.js'
import type { Engine } from '../engine/engine.js'
import { ProbeError, ServiceStartError, WaitTimeoutError } from '../engine/runtime-errors.js'
import { TIMED_OUT, within } from '../engine/timeout-race.js'

/** What a service must reach before the harness calls it ready, when the user asks for more than Compose's conditions. */
export type WaitSpec =
  | { readonly log: RegExp; readonly times?: number }
  | { readonly port: number }
  | { readonly http: { readonly port: number; readonly path?: string; readonly status?: number } }

export const DEFAULT_READY_TIMEOUT_MS = 120_000
const POLL_MS = 100
/** A service without a healthcheck counts as started once it has stayed up this long (or exited 0, as a one-shot does). */
export const STARTUP_GRACE_MS = 300

/** A container waited for: its engine, its service and image (named in a failure), and how long a wait may take. */
export interface Target {
  readonly engine: Engine
  readonly service: string
  readonly id: string
  readonly image: string
  readonly timeoutMs: number
}

/** Resolves once the container meets `condition`; throws a ServiceStartError saying why it never will. */
export async function waitForCondition(target: Target, condition: DependencyCondition): Promise<void> {
  if (condition === 'service_healthy') return waitHealthy(target)
  if (condition === 'service_completed_successfully') return waitCompleted(target)
}

/** Resolves once the container has run for the startup grace, or exited 0; fails if it exited otherwise or keeps restarting. */
export async function waitStarted(t: Target): Promise<void> {
  for (;;) {
    const state = (await t.engine.container.getById(t.id).inspect()).State
    await throwStartFailure(t, state)
    if (hasEnded(state.Status) || Date.now() - Date.parse(state.StartedAt) >= STARTUP_GRACE_MS) return
    await pause(POLL_MS)
  }
}

/**
 * Fails, as `waitStarted` would have, if the container's state shows now that it failed at its
 * start: for a start whose grace was not waited out (`up({ settle: false })`), checked afterwards.
 */
export async function checkStarted(t: Target): Promise<void> {
  await throwStartFailure(t, (await t.engine.container.getById(t.id).inspect()).State)
}

type ContainerState = ContainerInspectInfo['State']

/**
 * Why a container failed at its start, by its state: it exited otherwise than 0 within the
 * startup grace, or it is being restarted (its restart policy answering such an exit); else undefined.
 */
export function startFailureOf(state: ContainerState): string | undefined {
  if (state.Status === 'restarting') return 'it exited at once and keeps being restarted'
  const ranMs = Date.parse(state.FinishedAt) - Date.parse(state.StartedAt)
  if (hasEnded(state.Status) && state.ExitCode !== 0 && ranMs < STARTUP_GRACE_MS) return 'it exited at once'
  return undefined
}

async function throwStartFailure(t: Target, state: ContainerState): Promise<void> {
  const detail = startFailureOf(state)
  if (detail) throw await failure(t, 'start', detail, state.ExitCode)
}

/**
 * Resolves once the container is healthy again after a fault (a pause, a restart): an `unhealthy`
 * left by checks that failed meanwhile is waited out, up to the timeout, where `up` would fail on it.
 */
export function waitHealthyAgain(t: Target): Promise<void> {
  return waitHealthy(t, true)
}

async function waitHealthy(t: Target, recovering = false): Promise<void> {
  const deadline = Date.now() + t.timeoutMs
  // The engine's `health_status` event ends the wait at once; between events, the state is read every POLL_MS.
  await using changes = await containerChanges(t.engine, t.id)
  for (;;) {
    const state = (await t.engine.container.getById(t.id).inspect()).State
    const health = state.Health as { Status: string; Log?: { ExitCode: number; Output: string }[] } | undefined
    const lastCheck = health?.Log?.at(-1)
    const checkOutput = lastCheck
      ? `last health check (exit ${lastCheck.ExitCode}): ${lastCheck.Output.trim() || '(no output)'}`
      : 'no health check has run yet'
    if (!health) throw await failure(t, 'health', 'it has no healthcheck, so it can never be healthy')
    if (health.Status === 'healthy') return
    if (health.Status === 'unhealthy' && !recovering)
      throw await failure(t, 'health', `it is unhealthy; ${checkOutput}`)
    if (!state.Running)
      throw await failure(t, 'health', `it exited before it was healthy; ${checkOutput}`, state.ExitCode)
    if (Date.now() > deadline)
      throw await failure(t, 'health', `it was not healthy within ${t.timeoutMs / 1000} s; ${checkOutput}`)
    await changes.next(POLL_MS)
  }
}

async function waitCompleted(t: Target): Promise<void> {
  const result = await within(t.engine.container.getById(t.id).wait() as Promise<{ StatusCode: number }>, t.timeoutMs)
  if (result === TIMED_OUT) throw await failure(t, 'complete', `it was still running after ${t.timeoutMs / 1000} s`)
  if (result.StatusCode !== 0) throw await failure(t, 'complete', 'it did not complete successfully', result.StatusCode)
}

/** A user's wait: a log line, a listening TCP port, or an HTTP answer, reached from this machine (see endpoint.ts). */
export async function waitForSpec(t: Target, spec: WaitSpec): Promise<void> {
  const deadline = Date.now() + t.timeoutMs
  let lastProblem = ''
  for (;;) {
    const info = await t.engine.container.getById(t.id).inspect()
    if (hasEnded(info.State.Status))
      throw await failure(t, 'wait', `it stopped while waiting for ${describeWait(spec)}`, info.State.ExitCode)
    const reached = await attempt(t, spec, info).catch((error: unknown) => {
      lastProblem = error instanceof Error ? error.message : String(error)
      return false
    })
    if (reached) return
    if (Date.now() > deadline)
      throw await failure(
        t,
        'wait',
        `${describeWait(spec)} was not reached within ${t.timeoutMs / 1000} s${lastProblem ? ` (${lastProblem})` : ''}`,
      )
    await pause(POLL_MS)
  }
}

/** Stopped for good: a container that its restart policy will start again is `restarting`, not `exited`. */
function hasEnded(status: string): boolean {
  return status === 'exited' || status === 'dead'
}

/**
 * The lines matching `pattern`, once there are `times` of them, across restarts of the container;
 * rejects when it has stopped for good with fewer, or after `timeoutMs`, with the last lines seen.
 */
export async function waitForLogLines(
  engine: Engine,
  id: string,
  name: string,
  pattern: RegExp,
  times: number,
  timeoutMs: number,
): Promise<string[]> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const ended = hasEnded((await engine.container.getById(id).inspect()).State.Status)
    const { lines, matching } = await matchingLogLines(engine, id, pattern)
    if (matching.length >= times) return matching.slice(0, times)
    const why = ended ? 'the container stopped' : Date.now() > deadline ? `not within ${timeoutMs} ms` : undefined
    if (why)
      throw new WaitTimeoutError(
        `${name}: waited for ${times} line(s) matching ${pattern}, saw ${matching.length}: ${why}. Last lines:\n  ${lines.slice(-20).join('\n  ')}`,
      )
    await pause(POLL_MS)
  }
}

async function matchingLogLines(
  engine: Engine,
  id: string,
  pattern: RegExp,
): Promise<{ lines: string[]; matching: string[] }> {
  const lines = await logLines(engine, id)
  return { lines, matching: lines.filter((line) => pattern.test(line)) }
}

async function attempt(t: Target, spec: WaitSpec, info: ContainerInspectInfo): Promise<boolean> {
  if ('log' in spec) return (await matchingLogLines(t.engine, t.id, spec.log)).matching.length >= (spec.times ?? 1)
  if ('port' in spec) return (await portAccepts(t.engine, info, spec.port)) && publishedAnswers(t, info, spec.port)
  const { host, port } = endpointOf(info, spec.http.port, t.engine.info.containerRuntime.host)
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}${spec.http.path ?? '/'}`
  const response = await fetch(url, { signal: AbortSignal.timeout(2000) }).catch((error: unknown) => {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error
    throw new ProbeError(`GET ${url}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause: error })
  })
  await response.body?.cancel()
  return spec.http.status === undefined
    ? response.status >= 200 && response.status < 400
    : response.status === spec.http.status
}

/**
 * Whether the port, once it listens in the container, also answers where this machine reaches it:
 * its published address, when it has one. A port published on the loopback of an engine elsewhere
 * listens, yet the test can never reach it; this says so, with the address, rather than report it ready.
 */
async function publishedAnswers(t: Target, info: ContainerInspectInfo, port: number): Promise<boolean> {
  if (!info.NetworkSettings.Ports?.[`${port}/tcp`]?.some((b) => b.HostPort)) return true
  const at = endpointOf(info, port, t.engine.info.containerRuntime.host)
  const probe = await probeTcp(at.host, at.port)
  if (probe === 'open') return true
  const engineElsewhere = !(await onThisMachine(t.engine.info.containerRuntime.host))
  throw new ProbeError(
    `port ${port} listens in the container, but its published address ${at.host}:${at.port} is ${probe} from this machine` +
      (isLoopback(at.host) && engineElsewhere
        ? ` (it is on the loopback of the engine at ${t.engine.info.containerRuntime.host}: publish it on an address this machine reaches, such as "0.0.0.0::${port}")`
        : ''),
  )
}

function describeWait(spec: WaitSpec): string {
  if ('log' in spec) return `${spec.times ?? 1} log line(s) matching ${spec.log}`
  if ('port' in spec) return `port ${spec.port}`
  return `HTTP ${spec.http.status ?? '2xx/3xx'} from port ${spec.http.port}${spec.http.path ?? '/'}`
}

async function failure(
  t: Target,
  phase: 'start' | 'health' | 'complete' | 'wait',
  detail: string,
  exitCode?: number,
): Promise<ServiceStartError> {
  const logTail = await logLines(t.engine, t.id, 10).catch(() => [])
  const oomKilled =
    exitCode !== undefined &&
    (await t.engine.container
      .getById(t.id)
      .inspect()
      .then(
        (i) => i.State.OOMKilled,
        () => false,
      ))
  return new ServiceStartError(
    {
      service: t.service,
      phase,
      image: t.image,
      logTail,
      ...(exitCode !== undefined && { exitCode }),
      ...(oomKilled && { oomKilled }),
    },
    detail,
  )
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** Whether `up` waits for the service to be healthy: it has a healthcheck that is not disabled. */
export function hasHealthcheck(service: ServiceSpec): boolean {
  return service.healthcheck !== undefined && service.healthcheck.test[0] !== 'NONE'
}
