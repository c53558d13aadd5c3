import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs'
import type { Duplex } from 'node:stream'
import { join, resolve } from 'node:path'
import { lengthDelimited, varintField, wireFields, wireText } from './protobuf-wire.js'

/**
 * A build's cache from a local directory (`cache_from: type=local,src=DIR`), as buildx reads it for
 * Compose v2: an OCI layout (`index.json`, `blobs/ALG/HEX`) that a `cache_to: type=local` wrote.
 * BuildKit reads it from the client through the build session's content store
 * (`containerd.services.content.v1.Content`), named `local:DIR`.
 */
export interface LocalCacheImport {
  /** The directory, absolute. */
  readonly src: string
  /** The cache's manifest in it: the `digest` written, else the one `index.json` tags `tag` (`latest`). */
  readonly tag: string
  readonly digest?: string
}

/** Pure: the `type=local` entries of a build's `cache_from`, their directories from `cwd`. */
export function localCacheImports(cacheFrom: readonly string[] = [], cwd = process.cwd()): LocalCacheImport[] {
  return cacheFrom.flatMap((entry) => {
    const fields = cacheFields(entry)
    if (fields?.type !== 'local' || !fields.src) return []
    return [
      { src: resolve(cwd, fields.src), tag: fields.tag ?? 'latest', ...(fields.digest && { digest: fields.digest }) },
    ]
  })
}

/** Pure: `type=local,src=DIR,…` as its fields; undefined for a plain reference. */
export function cacheFields(entry: string): Record<string, string> | undefined {
  if (!entry.includes('=')) return undefined
  return Object.fromEntries(
    entry.split(',').map((f) => [f.slice(0, f.indexOf('=')).toLowerCase(), f.slice(f.indexOf('=') + 1)]),
  )
}

/** The blob of `digest` (`sha256:HEX`) in an OCI layout. */
export function blobPath(dir: string, digest: string): string {
  const [algorithm, hex] = digest.split(':')
  return join(dir, 'blobs', algorithm ?? '', hex ?? '')
}

/**
 * The cache's manifest digest, read as buildx reads it: the digest written, else the manifest
 * `index.json` tags `tag`; with why the import is skipped where the directory has none (buildx
 * warns and builds without it).
 */
export function resolveLocalCache(entry: LocalCacheImport): { digest: string } | { skipped: string } {
  const at = `local cache import at ${entry.src}`
  let digest = entry.digest
  if (!digest) {
    let index: { manifests?: { digest: string; annotations?: Record<string, string> }[] }
    try {
      index = JSON.parse(readFileSync(join(entry.src, 'index.json'), 'utf8')) as typeof index
    } catch (error) {
      return { skipped: `${at} skipped: ${(error as Error).message}` }
    }
    digest = index.manifests?.find((m) => m.annotations?.['org.opencontainers.image.ref.name'] === entry.tag)?.digest
    if (!digest) return { skipped: `${at} skipped: no digest found for tag ${entry.tag}` }
  }
  if (!existsSync(blobPath(entry.src, digest)))
    return { skipped: `${at} skipped: digest ${digest} unavailable: not found` }
  return { digest }
}

/** Pure: `InfoRequest { string digest = 1; }` or `ReadContentRequest { string digest = 1; int64 offset = 2; int64 size = 3; }`. */
export function contentRequest(message: Uint8Array): { digest: string; offset: number; size: number } {
  let digest = ''
  let offset = 0
  let size = 0
  for (const f of wireFields(message)) {
    if (f.number === 1) digest = wireText(f.bytes)
    if (f.number === 2 && f.varint !== undefined) offset = Number(f.varint)
    if (f.number === 3 && f.varint !== undefined) size = Number(f.varint)
  }
  return { digest, offset, size }
}

/** Pure: `InfoResponse { Info info = 1; }`, `Info { string digest = 1; int64 size = 2; … }`. */
export function infoResponse(digest: string, size: number): Buffer {
  return lengthDelimited(1, Buffer.concat([lengthDelimited(1, Buffer.from(digest)), varintField(2, size)]))
}

/** Pure: `ReadContentResponse { int64 offset = 1; bytes data = 2; }`. */
export function readResponse(offset: number, data: Uint8Array): Buffer {
  return Buffer.concat([varintField(1, offset), lengthDelimited(2, data)])
}

/** Which of the session's content stores a content call is for (BuildKit's `GRPCHeaderID`). */
export const STORE_ID = 'buildkit-attachable-store-id'
/** What a Read answers in one message at most. */
const READ_CHUNK = 1 << 20

/** A content store's call, as grpc-js gives it: the request's bytes, and the metadata naming the store. */
interface ContentCall {
  readonly request: Buffer
  readonly metadata: { get(key: string): (string | Buffer)[] }
}

type Reply = (error: { code: number; details: string } | null, value?: Buffer) => void

/**
 * The session's `containerd.services.content.v1.Content` methods BuildKit reads a local cache with:
 * `Info` (a blob's size) and `Read` (its bytes, from an offset), in the store (`local:DIR` →
 * DIR) the call's metadata names. `notFound` is gRPC's status for a blob that is not there.
 */
export function contentStoreHandlers(stores: ReadonlyMap<string, string>, notFound: number) {
  const blob = (call: ContentCall): { path: string; request: ReturnType<typeof contentRequest> } | undefined => {
    const dir = stores.get(String(call.metadata.get(STORE_ID)[0] ?? ''))
    const request = contentRequest(call.request)
    const path = dir === undefined || !/^\w+:\w+$/.test(request.digest) ? undefined : blobPath(dir, request.digest)
    return path !== undefined && existsSync(path) ? { path, request } : undefined
  }
  const missing = (call: ContentCall) => ({
    code: notFound,
    details: `content ${contentRequest(call.request).digest}: not found`,
  })
  return {
    Info: (call: ContentCall, reply: Reply) => {
      const found = blob(call)
      if (found) reply(null, infoResponse(found.request.digest, statSync(found.path).size))
      else reply(missing(call))
    },
    Read: (stream: unknown) => {
      const call = stream as ContentCall & Duplex
      const found = blob(call)
      if (!found) {
        call.destroy(Object.assign(new Error(missing(call).details), missing(call)))
        return
      }
      const { offset, size } = found.request
      const end = size > 0 ? offset + size - 1 : undefined
      let at = offset
      createReadStream(found.path, { start: offset, ...(end !== undefined && { end }), highWaterMark: READ_CHUNK })
        .on('data', (chunk) => {
          call.write(readResponse(at, chunk as Buffer))
          at += chunk.length
        })
        .on('end', () => call.end())
        .on('error', (error) => call.destroy(error))
    },
  }
}
