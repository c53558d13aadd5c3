/** Failures of a running project, each carrying what the user needs to act on it. */

export type Phase = 'engine' | 'build' | 'network' | 'create' | 'start' | 'stop' | 'remove'

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
    super(`service "${failure.service}" failed to ${failure.phase}${exit}: ${detail}${tail}`, options)
    this.failure = failure
  }
}

/** The message of any thrown value, for the `detail` of an error that wraps it. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
