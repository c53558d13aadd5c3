import { PassThrough, type Readable } from 'node:stream'
import { dialEngine, type Engine } from '../engine/engine.js'

/** Which lines to read by when they were written: the engine's `since` and `until`, in seconds since the epoch. */
export interface LogWindow {
  readonly since?: string
  readonly until?: string
}

/** Everything the container has written so far (within `window`), stdout and stderr interleaved, as lines (each after its time, with `timestamps`). */
export async function logLines(
  engine: Engine,
  id: string,
  tail?: number,
  timestamps = false,
  window: LogWindow = {},
): Promise<string[]> {
  const buffer = await engine.container
    .getById(id)
    .logs({ stdout: true, stderr: true, follow: false, timestamps, ...(tail !== undefined && { tail }), ...window })
  return demuxBuffer(buffer)
    .split('\n')
    .filter((line, i, all) => line !== '' || i < all.length - 1)
}

/**
 * What hears a followed container's lines. When it returns a promise, reading pauses until that
 * settles: a consumer that cannot keep up (a slow pipe) holds the engine's stream back instead of
 * buffering the container's output in memory.
 */
export type LineListener = (line: string, timestamp: string) => void | Promise<void> | undefined

/**
 * Calls `onLine` for each line the container writes (from its start, or its last `tail` lines)
 * until `stop()` or the container ends, then `onEnd`. The engine ends a followed stream once the
 * container has exited, even when its reader is behind and has not had everything yet (Docker
 * 20.10's json-file driver does): so the lines are read with their timestamps, and when the
 * followed stream ends the rest is read again from the last timestamp seen, as a plain read.
 */
export async function followLogLines(
  engine: Engine,
  id: string,
  onLine: LineListener,
  onEnd?: () => void,
  tail?: number,
  window: LogWindow = {},
): Promise<() => void> {
  const follower = new LogFollower(engine, id, onLine, window)
  const first = await follower.open({ follow: true, ...(tail !== undefined && { tail }), ...window })
  void follower.run(first, tail).then(() => follower.stopped || onEnd?.())
  return () => follower.stop()
}

/** `2026-11-27T04:04:53.889058781Z` → `1795838693.889058781`, the form of the API's `since`. */
export function sinceOf(timestamp: string): string {
  const m = /^(.{19})(?:\.(\d{1,9}))?Z$/.exec(timestamp)
  if (!m) return '0'
  return `${Math.floor(Date.parse(`${m[1]}Z`) / 1000)}.${(m[2] ?? '').padEnd(9, '0')}`
}

class LogFollower {
  stopped = false
  private current: Readable | undefined
  /** The last timestamp delivered, and how many lines carried it: a read resumed from it skips those. */
  private last = { timestamp: '', count: 0 }

  constructor(
    private readonly engine: Engine,
    private readonly id: string,
    private readonly onLine: LineListener,
    private readonly window: LogWindow,
  ) {}

  open(options: { follow: boolean; tail?: number } & LogWindow): Promise<Readable> {
    const query = { stdout: true, stderr: true, timestamps: true, ...options }
    // dockerode gives a stream only when following; the API streams either way.
    return dialEngine<Readable>(this.engine, {
      path: `/containers/${this.id}/logs?`,
      method: 'GET',
      options: query,
      isStream: true,
      statusCodes: { 200: true, 404: 'no such container', 500: 'server error' },
    })
  }

  async run(followed: Readable, tail: number | undefined): Promise<void> {
    await this.pump(followed, { timestamp: '', count: 0 })
    if (this.stopped) return
    const resumed =
      this.last.timestamp === ''
        ? { ...(tail !== undefined && { tail }), ...this.window }
        : { ...this.window, since: sinceOf(this.last.timestamp) }
    const rest = await this.open({ follow: false, ...resumed }).catch(() => undefined)
    if (rest && !this.stopped) await this.pump(rest, { ...this.last })
  }

  stop(): void {
    this.stopped = true
    this.current?.destroy()
  }

  /** Delivers the stream's lines, pausing while the listener asks to wait; `skip` lines of that timestamp were delivered already. */
  private pump(raw: Readable, skip: { timestamp: string; count: number }): Promise<void> {
    this.current = raw
    const out = new PassThrough()
    this.engine.container.dockerode.modem.demuxStream(raw, out, out)
    let partial = ''
    const deliver = (stamped: string): Promise<void> | void | undefined => {
      const space = stamped.indexOf(' ')
      const timestamp = stamped.slice(0, space)
      if (skip.count > 0 && timestamp === skip.timestamp) {
        skip.count--
        return undefined
      }
      skip.count = 0
      this.last =
        timestamp === this.last.timestamp ? { timestamp, count: this.last.count + 1 } : { timestamp, count: 1 }
      return this.onLine(stamped.slice(space + 1).replace(/\r$/, ''), timestamp)
    }
    out.setEncoding('utf8')
    out.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n')
      partial = lines.pop() ?? ''
      const waits = lines.flatMap((line) => deliver(line) ?? [])
      if (waits.length === 0) return
      // Both sides: the engine's stream stops being read, and what the demultiplexer already passed on waits too.
      raw.pause()
      out.pause()
      void Promise.allSettled(waits).then(() => {
        raw.resume()
        out.resume()
      })
    })
    // The end is heard after the last buffered line: the engine's stream ends the line stream, which ends in turn.
    raw.on('end', () => out.end())
    raw.on('error', () => out.end())
    raw.on('close', () => out.end())
    return new Promise((resolve) => {
      out.on('end', () => {
        if (partial) void deliver(partial)
        resolve()
      })
      out.on('close', resolve)
    })
  }
}

/** Docker's multiplexed log format: an 8-byte header (stream, 0, 0, 0, size) before each frame. */
function demuxBuffer(buffer: Buffer): string {
  const parts: Buffer[] = []
  let offset = 0
  while (offset + 8 <= buffer.length) {
    const size = buffer.readUInt32BE(offset + 4)
    parts.push(buffer.subarray(offset + 8, offset + 8 + size))
    offset += 8 + size
  }
  return Buffer.concat(parts).toString('utf8')
}
