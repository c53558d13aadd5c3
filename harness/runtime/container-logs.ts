import { PassThrough, type Readable } from 'node:stream'
import type { Engine } from './engine.js'

/** Everything the container has written so far, stdout and stderr interleaved, as lines. */
export async function logLines(engine: Engine, id: string, tail?: number): Promise<string[]> {
  const buffer = (await engine.container.getById(id).logs({ stdout: true, stderr: true, follow: false, ...(tail !== undefined && { tail }) })) as Buffer
  return demuxBuffer(buffer).split('\n').filter((line, i, all) => line !== '' || i < all.length - 1)
}

/** Calls `onLine` for each line the container writes (from its start, or its last `tail` lines) until `stop()` or the container ends. */
export async function followLogLines(engine: Engine, id: string, onLine: (line: string) => void, onEnd?: () => void, tail?: number): Promise<() => void> {
  const raw = (await engine.container.getById(id).logs({ stdout: true, stderr: true, follow: true, ...(tail !== undefined && { tail }) })) as Readable
  const out = new PassThrough()
  engine.container.dockerode.modem.demuxStream(raw, out, out)
  let partial = ''
  out.setEncoding('utf8')
  out.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n')
    partial = lines.pop() ?? ''
    for (const line of lines) onLine(line.replace(/\r$/, ''))
  })
  raw.on('end', () => {
    if (partial) onLine(partial)
    partial = ''
    onEnd?.()
  })
  raw.on('error', () => onEnd?.())
  return () => {
    raw.destroy()
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
