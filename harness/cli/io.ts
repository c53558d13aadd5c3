import type { ProgressMode } from './progress.js'
import type { AnsiMode } from './log-prefixer.js'

/** Where a command writes: its output, its warnings, and when the reader of its output has gone. */
export interface Io {
  readonly say: (line: string) => void
  /** Output with no newline after it (`config --format json`, as Compose v2 ends it). */
  readonly sayText: (text: string) => void
  readonly warn: (line: string) => void
  /**
   * Where progress goes, as in Compose v2: standard error, or standard output when
   * COMPOSE_STATUS_STDOUT is true; `statusStream` is that stream (is it a terminal?).
   */
  readonly status: (line: string) => void
  /** Status text with no newline after it (`no container to kill`, as Compose v2 writes it). */
  readonly statusText: (text: string) => void
  readonly statusStream: NodeJS.WriteStream
  /** Resolves when nobody reads `say`'s output any more (`logs -f | head`). */
  readonly readerGone: Promise<void>
  /** A promise while `say`'s reader is behind (see Output.drained), for output that can wait. */
  readonly drained: () => Promise<void> | undefined
  /** How builds and container steps are shown (`--progress`); `auto` when not given. */
  readonly progress?: ProgressMode
  /** `--ansi` (or COMPOSE_ANSI): colours and the live view always, never, or as the streams allow (`auto`, the default). */
  readonly ansi?: AnsiMode
  /** `--dry-run`: the engine only rehearses, and the progress says so. */
  readonly dryRun?: boolean
}
