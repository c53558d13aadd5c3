import type { Compose } from '../../api/compose.js'
import type { Io } from '../io.js'

/** One CLI command: its arguments after the command's name, run against the project the global flags describe; resolves with the exit code. */
export type Command = (compose: Compose, args: string[], io: Io) => Promise<number>
