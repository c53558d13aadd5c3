/**
 * The base of every error the harness throws on purpose: a user's mistake or a failure it has
 * explained (bad files, a service that would not start, an engine out of reach). Anything else
 * that reaches the CLI is a defect, shown with its stack under COMPOSE_HARNESS_DEBUG.
 */
export class HarnessError extends Error {
  constructor(message?: string, options?: ErrorOptions) {
    super(message, options)
    this.name = new.target.name
  }
}

/**
 * A broken invariant: the harness called itself wrongly. Never the user's doing, so the CLI shows
 * it as the defect it is (with its stack under COMPOSE_HARNESS_DEBUG), not as an explained failure.
 */
export class InvariantError extends Error {
  constructor(message: string) {
    super(`compose-harness defect: ${message}`)
    this.name = 'InvariantError'
  }
}
