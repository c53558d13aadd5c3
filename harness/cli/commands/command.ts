import type { Compose } from '../../api/compose.js'
import type { GlobalFlags } from '../global-flags.js'
import type { Io } from '../io.js'

/** One CLI command: its arguments after the command's name, run against the project the global flags describe; resolves with the exit code. */
export type Command = (compose: Compose, args: string[], io: Io) => Promise<number>

/** A command that needs no project: the global flags are its to read (`compare`) or to leave (`ls`, `version`). */
export type AloneCommand = (globals: GlobalFlags, args: string[], io: Io) => Promise<number>
