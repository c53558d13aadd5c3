/**
 * The faults a test inflicts on a service's container (service-handle.ts), decided here: which
 * engine answers mean "already so" (nothing to do, as the engine's own command takes them), and
 * the harness error every other failure becomes, naming the service, its container and the fault.
 */
import { HarnessError } from '../../errors.js'
import { EngineGoneError, messageOf } from '../engine/runtime-errors.js'

export type Fault = 'stop' | 'start' | 'restart' | 'kill' | 'pause' | 'unpause' | 'disconnect' | 'connect'

/**
 * A fault the engine refused. `docker start` of a running container and `docker stop` of a
 * stopped one succeed (the engine answers 304, "not modified"); the rest fail there too (`kill` of
 * a stopped container, `pause` of a paused one…), and so here, with the engine's reason.
 */
export class FaultError extends HarnessError {
  override readonly name = 'FaultError'
  constructor(
    readonly fault: Fault,
    readonly service: string,
    readonly container: string,
    reason: string,
    cause?: unknown,
  ) {
    super(`${fault} of service "${service}" (container ${container}) failed: ${reason}`, { cause })
  }
}

/** Whether the engine's answer to `fault` says the container is already as asked: done, as the engine's command has it. */
export function alreadyDone(fault: Fault, error: unknown): boolean {
  const status = (error as { statusCode?: number } | null)?.statusCode
  return status === 304 && (fault === 'start' || fault === 'stop')
}

/** The engine's own words in a failed request (dockerode puts its JSON message under `json`). */
export function engineReason(error: unknown): string {
  const json = (error as { json?: { message?: string } | null } | null)?.json
  return (json?.message ?? messageOf(error)).trim()
}

/** Runs `fault`: an "already so" answer is success, an engine that went away stays EngineGoneError, any other failure a FaultError. */
export async function inflict(
  fault: Fault,
  who: { readonly service: string; readonly name: string },
  act: () => Promise<unknown>,
): Promise<void> {
  try {
    await act()
  } catch (error) {
    if (alreadyDone(fault, error)) return
    if (error instanceof EngineGoneError) throw error
    throw new FaultError(fault, who.service, who.name, engineReason(error), error)
  }
}
