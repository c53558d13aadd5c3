import {
  createReadStream,
  lstatSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  type BigIntStats,
} from 'node:fs'
import { join, relative } from 'node:path'
import { createRequire } from 'node:module'
import { lengthDelimited, varintField, wireFields } from './protobuf-wire.js'

// A CommonJS module whose typings claim an ES default export: load it as what it is.
const dockerignore = createRequire(import.meta.url)(
  '@balena/dockerignore',
) as typeof import('@balena/dockerignore').default

/**
 * A directory BuildKit may ask a build session for (FileSync's DiffCopy), by the name the
 * Dockerfile frontend gives it: `context` and `dockerfile`. `files` are served instead of a
 * directory on disk (an inline Dockerfile).
 */
export type SyncedDir = { readonly root: string } | { readonly files: Readonly<Record<string, string>> }

/** What BuildKit asks of a directory, from the call's metadata: which paths it wants. */
export interface SyncFilter {
  readonly includes: readonly string[]
  readonly excludes: readonly string[]
  readonly followPaths: readonly string[]
}

/** One path sent to BuildKit, as fsutil's `Stat` has it (its mode in Go's `os.FileMode` bits). */
export interface SyncEntry {
  readonly path: string
  readonly mode: number
  readonly uid: number
  readonly gid: number
  readonly size: bigint
  readonly modTime: bigint
  readonly linkname?: string
  readonly devmajor?: number
  readonly devminor?: number
  /** Where its content is read from: a file on disk, or the text itself. */
  readonly content?: { readonly file: string } | { readonly text: string }
}

/** Go's os.FileMode type bits, as fsutil sends them. */
const GO_MODE = {
  dir: 2 ** 31,
  symlink: 2 ** 27,
  device: 2 ** 26,
  namedPipe: 2 ** 25,
  setuid: 2 ** 23,
  setgid: 2 ** 22,
  charDevice: 2 ** 21,
  sticky: 2 ** 20,
} as const

/** Pure: a file's Unix mode as Go's os.FileMode (what fsutil puts in a Stat); undefined for a socket, which is not sent. */
export function goFileMode(unixMode: number): number | undefined {
  const kind = unixMode & 0o170000
  let mode = unixMode & 0o777
  if (unixMode & 0o4000) mode += GO_MODE.setuid
  if (unixMode & 0o2000) mode += GO_MODE.setgid
  if (unixMode & 0o1000) mode += GO_MODE.sticky
  switch (kind) {
    case 0o040000:
      return mode + GO_MODE.dir
    case 0o120000:
      return mode + GO_MODE.symlink
    case 0o010000:
      return mode + GO_MODE.namedPipe
    case 0o060000:
      return mode + GO_MODE.device
    case 0o020000:
      return mode + GO_MODE.device + GO_MODE.charDevice
    case 0o140000:
      return undefined
    default:
      return mode
  }
}

/**
 * The entries of a synced directory that BuildKit asked for, in fsutil's order: depth first, each
 * directory's names in byte order, a directory before what it holds. A path is sent when the
 * include patterns (and follow paths) match it or one of its parents and no exclude pattern does
 * (`.dockerignore` rules, `!` exceptions included); a directory that is not itself sent is sent
 * anyway before a path inside it that is. A file reached again through a hard link is sent as a link
 * to its first path.
 */
export function syncEntries(dir: SyncedDir, filter: SyncFilter): SyncEntry[] {
  if ('files' in dir) {
    return Object.keys(dir.files)
      .sort(byteOrder)
      .filter((name) => {
        const { included, excluded } = matchers(filter, filter.followPaths)
        return included(name) && !excluded(name)
      })
      .map((name) => ({
        path: name,
        mode: 0o644,
        uid: 0,
        gid: 0,
        size: BigInt(Buffer.byteLength(dir.files[name]!)),
        modTime: 0n,
        content: { text: dir.files[name]! },
      }))
  }
  const { includes, included, excluded } = matchers(filter, [
    ...filter.followPaths,
    ...followed(dir.root, filter.followPaths),
  ])
  const exceptions = filter.excludes.some((p) => p.startsWith('!'))
  const entries: SyncEntry[] = []
  const seen = new Map<bigint, string>()
  /** Directories walked into but not sent yet: sent before the first path sent inside them. */
  const pending: SyncEntry[] = []
  const send = (entry: SyncEntry) => {
    entries.push(...pending.splice(0), entry)
  }
  const walk = (relDir: string) => {
    const names = readdirSync(join(dir.root, relDir)).sort(byteOrder)
    for (const name of names) {
      const rel = relDir ? `${relDir}/${name}` : name
      const stats = lstatSync(join(dir.root, rel), { bigint: true })
      const [isIncluded, isExcluded] = [included(rel), excluded(rel)]
      const sent = isIncluded && !isExcluded
      // A hard link is sent as a link to the first path of its file that was sent itself.
      const entry = statEntry(dir.root, rel, stats, sent ? seen : new Map<bigint, string>())
      if (!entry) continue
      if (sent) send(entry)
      if (!stats.isDirectory()) continue
      if (isExcluded && !exceptions) continue
      if (!isIncluded && !mayHoldIncluded(rel, includes)) continue
      const depth = pending.length
      if (!sent) pending.push(entry)
      walk(rel)
      pending.splice(depth)
    }
  }
  walk('')
  return entries
}

/**
 * The filter's patterns as `.dockerignore` rules: a path is included when an include pattern (or
 * one of `more`, the follow paths) matches it or a parent, everything when there are none; it is
 * excluded when the exclude patterns, `!` exceptions and all, say so.
 */
function matchers(filter: SyncFilter, more: readonly string[]) {
  const includes = [...filter.includes, ...more]
  const include = includes.length > 0 ? dockerignore({ ignorecase: false }).add(includes) : undefined
  const exclude = filter.excludes.length > 0 ? dockerignore({ ignorecase: false }).add([...filter.excludes]) : undefined
  return {
    includes,
    included: (path: string) => include === undefined || include.ignores(path),
    excluded: (path: string) => exclude?.ignores(path) ?? false,
  }
}

/** Follow paths that are symbolic links are sent with what they point to, inside the directory. */
function followed(root: string, paths: readonly string[]): string[] {
  return paths.flatMap((path) => {
    try {
      const target = relative(realpathSync(root), realpathSync(join(root, path)))
      return target && !target.startsWith('..') && target !== path ? [target] : []
    } catch {
      return []
    }
  })
}

/** Whether a directory not included itself may hold a path an include pattern matches. */
function mayHoldIncluded(dir: string, includes: readonly string[]): boolean {
  return includes.some((pattern) => {
    const clean = pattern.replace(/^\/+/, '')
    return clean.startsWith(`${dir}/`) || /[*?[\\]/.test(clean.split('/').slice(0, dir.split('/').length).join('/'))
  })
}

function statEntry(root: string, rel: string, stats: BigIntStats, seen: Map<bigint, string>): SyncEntry | undefined {
  const mode = goFileMode(Number(stats.mode))
  if (mode === undefined) return undefined
  const common = { path: rel, mode, uid: Number(stats.uid), gid: Number(stats.gid), modTime: stats.mtimeNs }
  if (stats.isDirectory()) return { ...common, size: 0n }
  if (stats.isSymbolicLink()) {
    return { ...common, size: stats.size, linkname: readlinkSync(join(root, rel)) }
  }
  if (stats.isBlockDevice() || stats.isCharacterDevice()) {
    const rdev = Number(stats.rdev)
    return {
      ...common,
      size: stats.size,
      devmajor: (rdev >> 8) & 0xfff,
      devminor: (rdev & 0xff) | ((rdev >> 12) & 0xfff00),
    }
  }
  if (stats.nlink > 1n) {
    const first = seen.get(stats.ino)
    if (first !== undefined) return { ...common, size: 0n, linkname: first }
    seen.set(stats.ino, rel)
  }
  return { ...common, size: stats.size, ...(stats.isFile() && { content: { file: join(root, rel) } }) }
}

function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b))
}

/** The size of a DATA packet's content, as fsutil sends them. */
const CHUNK = 32 * 1024

/** fsutil's packet types. */
export const PACKET = { stat: 0, req: 1, data: 2, fin: 3, err: 4 } as const

/** Pure: `Packet{type: STAT, stat}`; without an entry, the STAT without a stat that ends the listing. */
export function statPacket(entry?: SyncEntry): Buffer {
  if (!entry) return Buffer.alloc(0)
  const stat = Buffer.concat([
    lengthDelimited(1, Buffer.from(entry.path)),
    varintField(2, entry.mode),
    ...(entry.uid ? [varintField(3, entry.uid)] : []),
    ...(entry.gid ? [varintField(4, entry.gid)] : []),
    ...(entry.size ? [varintField(5, entry.size)] : []),
    ...(entry.modTime ? [varintField(6, entry.modTime)] : []),
    ...(entry.linkname ? [lengthDelimited(7, Buffer.from(entry.linkname))] : []),
    ...(entry.devmajor ? [varintField(8, entry.devmajor)] : []),
    ...(entry.devminor ? [varintField(9, entry.devminor)] : []),
  ])
  return lengthDelimited(2, stat)
}

/** Pure: `Packet{type: DATA, ID, data}`; no data ends the file. */
export function dataPacket(id: number, data?: Uint8Array): Buffer {
  return Buffer.concat([
    varintField(1, PACKET.data),
    ...(id ? [varintField(3, id)] : []),
    ...(data && data.length > 0 ? [lengthDelimited(4, data)] : []),
  ])
}

/** Pure: a packet's type, ID and data. */
export function readPacket(packet: Uint8Array): { type: number; id: number; data: Uint8Array } {
  let type = 0
  let id = 0
  let data: Uint8Array = new Uint8Array()
  for (const f of wireFields(packet)) {
    if (f.number === 1) type = Number(f.varint ?? 0n)
    else if (f.number === 3) id = Number(f.varint ?? 0n)
    else if (f.number === 4) data = f.bytes ?? data
  }
  return { type, id, data }
}

/** A DiffCopy call, as grpc-js gives a raw bidirectional stream to its handler. */
export interface DiffCopyCall {
  readonly metadata: { get(key: string): (string | Buffer)[] }
  write(packet: Buffer): boolean
  end(): void
  once(event: 'drain', listener: () => void): unknown
  on(event: 'data', listener: (packet: Buffer) => void): unknown
  on(event: 'end' | 'error' | 'cancelled', listener: (...args: unknown[]) => void): unknown
}

/** The filter BuildKit sends in the call's metadata (values URL-encoded where `KEY-encoded` says so). */
export function filterOf(call: Pick<DiffCopyCall, 'metadata'>): { dir: string; filter: SyncFilter } {
  // Several values of one key arrive joined by ", " (HTTP/2 joins repeated headers so).
  const values = (key: string) => {
    const encoded = call.metadata.get(`${key}-encoded`).map(String)[0] === 'true'
    return call.metadata
      .get(key)
      .flatMap((v) => String(v).split(', '))
      .filter((v) => v !== '')
      .map((v) => (encoded ? decodeURIComponent(v.replace(/\+/g, ' ')) : v))
  }
  return {
    dir: values('dir-name')[0] ?? '',
    filter: {
      includes: values('include-patterns'),
      excludes: values('exclude-patterns'),
      followPaths: values('followpaths'),
    },
  }
}

/**
 * Serves one DiffCopy call (fsutil's send side): every entry's STAT, an empty STAT, then the
 * content of each file BuildKit asks for by its index (REQ), in 32 KiB DATA packets closed by an
 * empty one, until BuildKit says FIN.
 */
export async function serveDiffCopy(call: DiffCopyCall, dirs: ReadonlyMap<string, SyncedDir>): Promise<void> {
  const { dir, filter } = filterOf(call)
  const synced = dirs.get(dir)
  const write = async (packet: Buffer) => {
    if (!call.write(packet)) await new Promise<void>((drained) => call.once('drain', drained))
  }
  if (!synced) {
    await write(
      Buffer.concat([varintField(1, PACKET.err), lengthDelimited(4, Buffer.from(`no access allowed to dir "${dir}"`))]),
    )
    call.end()
    return
  }
  const requests: number[] = []
  let wake: (() => void) | undefined
  let finished = false
  call.on('data', (packet) => {
    const { type, id } = readPacket(packet)
    if (type === PACKET.req) requests.push(id)
    if (type === PACKET.fin || type === PACKET.err) finished = true
    wake?.()
  })
  for (const event of ['end', 'error', 'cancelled'] as const)
    call.on(event, () => {
      finished = true
      wake?.()
    })
  const entries = syncEntries(synced, filter)
  for (const entry of entries) await write(statPacket(entry))
  await write(statPacket())
  for (;;) {
    const id = requests.shift()
    if (id !== undefined) {
      const entry = entries[id]
      const content = entry?.content
      if (content && 'text' in content) await write(dataPacket(id, Buffer.from(content.text)))
      // A small file in one read, a larger one streamed in chunks.
      else if (content && entry.size <= CHUNK) await write(dataPacket(id, readFileSync(content.file)))
      else if (content)
        for await (const chunk of createReadStream(content.file, { highWaterMark: CHUNK }))
          await write(dataPacket(id, chunk as Buffer))
      await write(dataPacket(id))
      continue
    }
    if (finished) break
    await new Promise<void>((resolve) => (wake = resolve))
    wake = undefined
  }
  await write(varintField(1, PACKET.fin))
  call.end()
}
