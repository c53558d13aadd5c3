/**
 * The CLI's two output streams, safe to write after their reader has gone.
 *
 * `compose-harness ps | grep -q client` closes the pipe as soon as grep has its match; the next
 * write then fails with EPIPE. Node reports that as an unhandled 'error' event and dies with a
 * stack trace. Here the lost reader only ends the output: later lines are dropped, the command
 * finishes with its own exit code, and `readerGone` lets a long-running command (an attached
 * `up`) stop as if interrupted instead of streaming into nothing forever.
 */
export interface Output {
  readonly line: (text: string) => void
  /** Writes `text` as it is, with no newline after it. */
  readonly text: (text: string) => void
  /** Resolves once the stream's reader has gone (EPIPE); never resolves while it stays. */
  readonly readerGone: Promise<void>
  /**
   * Undefined while the stream takes more; a promise when what it holds for a slow reader has
   * reached its limit, resolved once it has drained (or the reader has gone). A producer that
   * waits for it (a followed log) holds no more than that limit in memory.
   */
  readonly drained: () => Promise<void> | undefined
}

export function outputFor(stream: NodeJS.WritableStream): Output {
  let gone = false
  let markGone!: () => void
  const readerGone = new Promise<void>((resolve) => (markGone = resolve))
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error
    gone = true
    markGone()
  })
  return {
    line: (text) => {
      if (!gone) stream.write(`${text}\n`)
    },
    text: (text) => {
      if (!gone) stream.write(text)
    },
    readerGone,
    drained: () => {
      if (gone || !(stream as NodeJS.WriteStream).writableNeedDrain) return undefined
      return Promise.race([new Promise<void>((resolve) => stream.once('drain', resolve)), readerGone])
    },
  }
}
