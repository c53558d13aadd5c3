/** Failures of a running project, each carrying what the user needs to act on it. */
import { HarnessError } from '../../errors.js'
import type { ComposeProject, ServiceSpec } from '../../model/project/types.js'

/** Where a service's start failed: its image's build or pull, its container's start, its health check, its completion (a one-shot), a wait. */
export type Phase = 'build' | 'pull' | 'start' | 'health' | 'complete' | 'wait'

/** No Docker engine answered where the harness looked for one (DOCKER_HOST, testcontainers' settings, the default socket). */
export class EngineUnreachableError extends HarnessError {
  override readonly name = 'EngineUnreachableError'
  constructor(where: string, cause?: unknown) {
    super(
      `no Docker engine answers at ${where}. ` +
        'Start it, point DOCKER_HOST at one that runs, or run `npm run provision` to install and start one on a Debian machine.',
      cause === undefined ? undefined : { cause },
    )
  }
}

/**
 * The engine stopped answering in the middle of a run (it was restarted or stopped). What the run
 * had started is removed by its reaper once the engine is back: the reaper's restart policy brings
 * it back with the engine, and it does its work once this process has not come back to it.
 */
export class EngineGoneError extends HarnessError {
  override readonly name = 'EngineGoneError'
  constructor(detail: string, cause?: unknown) {
    super(
      `the Docker engine went away during this run (${detail}). ` +
        'What this run started is removed by its reaper once the engine is back.',
      cause === undefined ? undefined : { cause },
    )
  }
}

/** The codes and messages of a connection to the engine that was refused, reset or ended under a request. */
const CONNECTION_LOSS_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ENOENT', 'ERR_STREAM_PREMATURE_CLOSE'])
const CONNECTION_LOSS_MESSAGES = /socket hang up|socket has been ended by the other party|premature close/i

/** Whether `error` is the loss of the connection to the engine, rather than the engine's answer. */
export function connectionLost(error: unknown): boolean {
  if (!(error instanceof Error) || error instanceof HarnessError) return false
  const { code, syscall } = error as { code?: unknown; syscall?: unknown }
  if (code === 'ENOENT' && syscall !== 'connect') return false
  return (typeof code === 'string' && CONNECTION_LOSS_CODES.has(code)) || CONNECTION_LOSS_MESSAGES.test(error.message)
}

const PHASE_WORDS: Record<Phase, string> = {
  build: 'build',
  pull: 'pulling its image',
  start: 'start',
  health: 'the health check',
  complete: 'completion',
  wait: 'the wait for readiness',
}

/** What is known of one service's failed start. */
export interface ServiceFailure {
  readonly service: string
  readonly phase: Phase
  readonly image?: string
  /** The container's exit code, when it exited. */
  readonly exitCode?: number
  /** The engine killed it for lack of memory. */
  readonly oomKilled?: boolean
  /** The last lines the container wrote, oldest first. */
  readonly logTail?: readonly string[]
}

/** A service of `up()` could not be built, pulled, started, made healthy or completed; what `up` created is removed first. */
export class ServiceStartError extends HarnessError {
  override readonly name = 'ServiceStartError'
  readonly failure: ServiceFailure
  /** Why, in words: the failing step, the health check's output, the wait that ran out. */
  readonly detail: string

  constructor(failure: ServiceFailure, detail: string, options?: ErrorOptions) {
    const exit = failure.exitCode === undefined ? '' : ` (${describeExit(failure.exitCode, failure.oomKilled)})`
    const tail = failure.logTail?.length
      ? `\nlast log lines of ${failure.service}:\n  ${failure.logTail.join('\n  ')}`
      : ''
    super(`service "${failure.service}" failed at ${PHASE_WORDS[failure.phase]}${exit}: ${detail}${tail}`, options)
    this.failure = failure
    this.detail = detail
  }

  /** The same error with every occurrence of `secrets` masked, in the detail and in the log lines. */
  redact(secrets: readonly string[]): ServiceStartError {
    const mask = (text: string): string => secrets.reduce((t, secret) => t.replaceAll(secret, '******'), text)
    const failure = { ...this.failure, ...(this.failure.logTail && { logTail: this.failure.logTail.map(mask) }) }
    return new ServiceStartError(failure, mask(this.detail), { cause: this.cause })
  }
}

const SIGNALS: Record<number, string> = {
  1: 'SIGHUP',
  2: 'SIGINT',
  3: 'SIGQUIT',
  6: 'SIGABRT',
  9: 'SIGKILL',
  11: 'SIGSEGV',
  13: 'SIGPIPE',
  15: 'SIGTERM',
}

/** `exit code 3`; `exit code 137: killed by SIGKILL`; `…, out of memory` when the engine says so. */
function describeExit(code: number, oomKilled = false): string {
  const signal = code > 128 ? SIGNALS[code - 128] : undefined
  return `exit code ${code}${signal ? `: killed by ${signal}` : ''}${oomKilled ? ', out of memory (OOM killed)' : ''}`
}

/** Values of variables whose names say they are secrets: never shown in the harness's own messages. */
export function secretValues(environments: readonly Readonly<Record<string, string>>[]): string[] {
  const secret = /pass|secret|token|key|credential|auth|private/i
  return environments.flatMap((env) =>
    Object.entries(env)
      .filter(([k, v]) => secret.test(k) && v.length > 0)
      .map(([, v]) => v),
  )
}

/**
 * The values nothing the harness shows may contain: those of `services`' secret-looking variables
 * (all the project's services unless given) and of the project's declared `secrets`.
 */
export function projectSecrets(
  project: ComposeProject,
  services: readonly ServiceSpec[] = Object.values(project.services),
): string[] {
  const declared = Object.values(project.secrets).flatMap((s) => (s.value ? [s.value] : []))
  return [...secretValues(services.map((s) => s.environment)), ...declared]
}

/** `error` with secrets masked when it is one of the harness's own service errors (or several of them). */
export function withoutSecrets(error: unknown, secrets: readonly string[]): unknown {
  if (secrets.length === 0) return error
  if (error instanceof ServiceStartError) return error.redact(secrets)
  if (error instanceof AggregateError) {
    const errors = error.errors.map((e) => withoutSecrets(e, secrets))
    return new AggregateError(errors, errors.map(messageOf).join('\n'))
  }
  return error
}

/** A project-level resource (network, volume) the project needs and cannot have. */
export class ResourceError extends HarnessError {
  override readonly name = 'ResourceError'
}

/**
 * Rejections gathered from work done side by side, thrown as one: nothing when there are none;
 * with `summary`, an AggregateError under it; without, the one failure itself, or an
 * AggregateError whose message lists each.
 */
export function throwFailures(failures: readonly unknown[], summary?: string): void {
  if (summary !== undefined && failures.length > 0) throw new AggregateError(failures, summary)
  throwAll(failures, () => failures.map(messageOf).join('\n'))
}

/**
 * Failures thrown as one: nothing when there are none, the one failure itself, or an
 * AggregateError of several under `summary` (given their count).
 */
export function throwAll(failures: readonly unknown[], summary: (count: number) => string): void {
  if (failures.length > 1) throw new AggregateError(failures, summary(failures.length))
  if (failures.length === 1) throw failures[0]
}

/** Each rejection's reason among `results`, once (one error can reject several awaits). */
export function rejections(results: readonly PromiseSettledResult<unknown>[]): unknown[] {
  return [...new Set(results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : [])))]
}

/** Whether the engine's message says it could not reach a registry (the usual case on an air-gapped machine). */
export function registryUnreachable(message: string): boolean {
  return /no such host|dial tcp|i\/o timeout|connection refused|TLS handshake/i.test(message)
}

/** The message of any thrown value, for the `detail` of an error that wraps it. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** A wait on a running project that ended without what it waited for: log lines, an exit. */
export class WaitTimeoutError extends HarnessError {}

/** Why one attempt at a wait (a port, an HTTP endpoint) did not succeed: the wait's reason when it gives up. */
export class ProbeError extends HarnessError {}

/** A handle asked for something its container does not have (a port it does not publish). */
export class HandleError extends HarnessError {}

/** The reaper (reaper.ts) went away or did not answer as its protocol says. */
export class ReaperError extends HarnessError {}

/** The harness's own files are missing from its installation (Dockerfile.reaper). */
export class InstallationError extends HarnessError {}

/** A setting in the environment (a COMPOSE_HARNESS_* variable) that cannot be used as given. */
export class SettingError extends HarnessError {}

/** Another run of the harness kept changing the same project for longer than this run would wait. */
export class ProjectBusyError extends HarnessError {
  constructor(project: string, waitedMs: number, holder?: { readonly pid: number; readonly action: string }) {
    const who = holder ? `process ${holder.pid} (${holder.action})` : 'another compose-harness run'
    super(
      `project "${project}" is being changed by ${who}; gave up after waiting ${Math.round(waitedMs / 1000)} s. ` +
        'Wait for it to finish, or give the runs different project names (-p). COMPOSE_HARNESS_LOCK_TIMEOUT sets the wait, in seconds.',
    )
  }
}
