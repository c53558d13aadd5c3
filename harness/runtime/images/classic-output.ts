import { Transform } from 'node:stream'
import { createGzip } from 'node:zlib'

/**
 * What the classic builder is sent and what Compose v2's client prints of it: the context gzipped
 * (v2 compresses it), `Sending build context to Docker daemon  788B` once it is sent (with v2's
 * `\r\r` after the size), then each line the builder writes, as it wrote it.
 */
export class ClassicOutput {
  private readonly sent = { bytes: 0 }
  private uploading = false
  private partial = ''

  constructor(private readonly say: (line: string) => void = () => {}) {}

  /** The context as it goes to the engine: gzipped, its bytes counted. */
  upload(context: NodeJS.ReadableStream): NodeJS.ReadableStream {
    this.uploading = true
    const sent = this.sent
    const count = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        sent.bytes += chunk.length
        done(null, chunk)
      },
    })
    return context.pipe(createGzip()).pipe(count)
  }

  /** One message of the builder's stream: the upload's line first (the builder answers once it has the context), then its whole lines. */
  take(stream: string | undefined): void {
    if (this.uploading) this.say(`Sending build context to Docker daemon ${humanSize(this.sent.bytes).padStart(8)}\r\r`)
    this.uploading = false
    const lines = (this.partial + (stream ?? '')).split('\n')
    this.partial = lines.pop() ?? ''
    for (const line of lines) this.say(line)
  }

  /** The end of the stream: a last line without its newline. */
  end(): void {
    if (this.partial) this.say(this.partial)
    this.partial = ''
  }
}

/** Pure: a size as Docker's `units.HumanSize` writes it: 4 significant digits, decimal units (`228B`, `2.048kB`, `10.24MB`). */
export function humanSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB']
  let size = bytes
  let i = 0
  while (size >= 1000 && i < units.length - 1) {
    size /= 1000
    i++
  }
  return `${Number(size.toPrecision(4))}${units[i]}`
}
