import { HarnessError } from '../errors.js'
import type { ReferenceRun } from './reference-compose.js'

/** Compose v2 failed where a comparison needed it to succeed (its `up`, its `down`). */
export class ReferenceFailedError extends HarnessError {
  constructor(args: readonly string[], result: ReferenceRun) {
    super(
      `Compose v2 \`${args.join(' ')}\` failed (exit ${result.code}):\n${result.stderr.trim().split('\n').slice(-10).join('\n')}`,
    )
  }
}
