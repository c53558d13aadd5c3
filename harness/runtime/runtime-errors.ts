/** Failures of a running project, each carrying what the user needs to act on it. */

export type Phase = 'engine' | 'build' | 'network' | 'volume' | 'create' | 'start' | 'health' | 'complete' | 'wait' | 'stop' | 'remove'

export class EngineUnreachableError extends Error {
  override readonly name = 'EngineUnreachableError'
  constructor(cause: unknown) {
    super(
      'no Docker engine answers (DOCKER_HOST, ~/.testcontainers.properties or /var/run/docker.sock). ' +
        'Run `npm run provision` to install and start one on a Debian machine, or start your own.',
      { cause },
    )
  }
}

const PHASE_WORDS: Record<Phase, string> = {
  engine: 'reaching the engine', build: 'build', network: 'creating its network', volume: 'creating its volume',
  create: 'create', start: 'start', health: 'the health check', complete: 'completion', wait: 'the wait for readiness',
  stop: 'stop', remove: 'removal',
}

export interface ServiceFailure {
  readonly service: string
  readonly phase: Phase
  readonly image?: string
  readonly exitCode?: number
  /** The last lines the container wrote, oldest first. */
  readonly logTail?: readonly string[]
}

export class ServiceStartError extends Error {
  override readonly name = 'ServiceStartError'
  readonly failure: ServiceFailure

  constructor(failure: ServiceFailure, detail: string, options?: ErrorOptions) {
    const exit = failure.exitCode === undefined ? '' : ` (exit code ${failure.exitCode})`
    const tail = failure.logTail?.length ? `\nlast log lines of ${failure.service}:\n  ${failure.logTail.join('\n  ')}` : ''
    super(`service "${failure.service}" failed at ${PHASE_WORDS[failure.phase]}${exit}: ${detail}${tail}`, options)
    this.failure = failure
  }
}

/** A project-level resource (network, volume) the project needs and cannot have. */
export class ResourceError extends Error {
  override readonly name = 'ResourceError'
}

/** The message of any thrown value, for the `detail` of an error that wraps it. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
