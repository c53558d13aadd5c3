import { createHash, type Hash } from 'node:crypto'

/** One entry of a tar archive, as an image's filesystem is compared: no times, the content by its digest. */
export interface TarEntry {
  readonly path: string
  /** `file`, `dir`, `symlink`, `hardlink`, or the type flag of anything else. */
  readonly type: string
  /** Permission bits, setuid, setgid and sticky included, in octal. */
  readonly mode: string
  /** `UID:GID`. */
  readonly owner: string
  /** A regular file's sha256; a link's target. */
  readonly content?: string
}

const BLOCK = 512
const TYPES: Readonly<Record<string, string>> = {
  '0': 'file',
  '\0': 'file',
  '5': 'dir',
  '2': 'symlink',
  '1': 'hardlink',
}
/** Entries that describe the next one: PAX extended headers and GNU long names. */
const META = new Set(['x', 'L', 'K'])

/** The body being read: a file's (hashed), a meta entry's (kept), or any other (skipped). */
interface Body {
  readonly flag: string
  readonly entry?: TarEntry
  readonly hash?: Hash
  readonly text?: Buffer[]
  left: number
  padded: number
}

/**
 * Lists a tar archive's entries as it streams (ustar with PAX and GNU long names, as Go's
 * archive/tar and `docker export` write it). The archive is never held whole: a file's blocks are
 * hashed as they arrive.
 */
export async function listTar(archive: AsyncIterable<Buffer | string>): Promise<TarEntry[]> {
  const entries: TarEntry[] = []
  let pending = Buffer.alloc(0)
  let body: Body | undefined
  /** What meta entries said of the next entry: PAX keys (`path`, `linkpath`, `size`, `uid`, `gid`). */
  let next: Record<string, string> = {}
  for await (const chunk of archive) {
    pending = Buffer.concat([pending, typeof chunk === 'string' ? Buffer.from(chunk) : chunk])
    for (;;) {
      if (body) {
        const take = Math.min(body.padded, pending.length)
        const data = pending.subarray(0, Math.min(take, body.left))
        body.hash?.update(data)
        body.text?.push(Buffer.from(data))
        body.left -= data.length
        body.padded -= take
        pending = pending.subarray(take)
        if (body.padded > 0) break
        const done: Body = body
        body = undefined
        if (done.text) next = { ...next, ...metaValues(done.flag, Buffer.concat(done.text)) }
        if (done.entry) entries.push({ ...done.entry, ...(done.hash && { content: done.hash.digest('hex') }) })
        continue
      }
      if (pending.length < BLOCK) break
      const header = pending.subarray(0, BLOCK)
      pending = pending.subarray(BLOCK)
      if (header.every((b) => b === 0)) continue
      const field = (offset: number, length: number) => nulTerminated(header.subarray(offset, offset + length))
      const octal = (offset: number, length: number) => parseInt(field(offset, length).trim() || '0', 8)
      const flag = String.fromCharCode(header[156]!)
      const size = next.size !== undefined ? Number(next.size) : octal(124, 12)
      const padded = Math.ceil(size / BLOCK) * BLOCK
      if (META.has(flag) || flag === 'g') {
        body = { flag, left: size, padded, ...(flag !== 'g' && { text: [] }) }
        continue
      }
      const prefix = field(345, 155)
      const name = next.path ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100))
      const type = TYPES[flag] ?? flag
      const entry: TarEntry = {
        path: `/${name.replace(/^\.?\/+/, '').replace(/\/+$/, '')}`,
        type,
        mode: (octal(100, 8) & 0o7777).toString(8).padStart(4, '0'),
        owner: `${next.uid ?? octal(108, 8)}:${next.gid ?? octal(116, 8)}`,
        ...((type === 'symlink' || type === 'hardlink') && { content: next.linkpath ?? field(157, 100) }),
      }
      next = {}
      if (type === 'file') body = { flag, entry, left: size, padded, hash: createHash('sha256') }
      else if (padded > 0) body = { flag, entry, left: size, padded }
      else entries.push(entry)
    }
  }
  return entries
}

/** What a meta entry says of the next entry, as PAX keys. */
function metaValues(flag: string, text: Buffer): Record<string, string> {
  if (flag === 'L') return { path: nulTerminated(text) }
  if (flag === 'K') return { linkpath: nulTerminated(text) }
  return parsePax(text)
}

/** PAX records: `LENGTH KEY=VALUE\n`, LENGTH counting the whole record. */
function parsePax(records: Buffer): Record<string, string> {
  const values: Record<string, string> = {}
  for (let at = 0; at < records.length;) {
    const space = records.indexOf(0x20, at)
    const length = space < 0 ? NaN : Number(records.subarray(at, space).toString())
    if (!Number.isInteger(length) || length <= 0) break
    const record = records.subarray(space + 1, at + length - 1).toString('utf8')
    const equals = record.indexOf('=')
    if (equals > 0) values[record.slice(0, equals)] = record.slice(equals + 1)
    at += length
  }
  return values
}

function nulTerminated(bytes: Buffer): string {
  const end = bytes.indexOf(0)
  return bytes.subarray(0, end < 0 ? bytes.length : end).toString('utf8')
}
