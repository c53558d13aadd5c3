import { HarnessError } from '../errors.js'

/** A command line the CLI cannot read: shown with a pointer to `--help`. */
export class UsageError extends HarnessError {
  override readonly name = 'UsageError'
}
