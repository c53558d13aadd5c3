import { createHash, type Hash } from 'node:crypto'
import {
  closeSync,
  existsSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs'
import { dirname, join } from 'node:path'
import type { Duplex } from 'node:stream'
import { lengthDelimited, varintField, wireFields, wireText } from './protobuf-wire.js'
import { blobPath, STORE_ID } from './local-cache.js'

/**
 * A build's cache written to a local directory (`cache_to: type=local,dest=DIR`), as buildx writes it
 * for Compose v2 on an engine with containerd's image store: BuildKit writes each blob through the
 * build session's content store (`containerd.services.content.v1.Content/Write`, the store
 * `local:DIR`) into an OCI layout, and the client then tags the cache's manifest in `index.json`.
 */

/** `WriteContentRequest { WriteAction action = 1; string ref = 2; int64 total = 3; string expected = 4; int64 offset = 5; bytes data = 6; … }`. */
export interface WriteRequest {
  /** STAT (0), WRITE (1) or COMMIT (2). */
  readonly action: number
  readonly ref: string
  readonly total: number
  readonly expected: string
  readonly offset: number
  readonly data: Uint8Array
}

export const STAT = 0
export const COMMIT = 2

/** Pure: a `WriteContentRequest` read. */
export function writeRequest(message: Uint8Array): WriteRequest {
  const request: { -readonly [K in keyof WriteRequest]: WriteRequest[K] } = {
    action: 0,
    ref: '',
    total: 0,
    expected: '',
    offset: 0,
    data: new Uint8Array(),
  }
  for (const f of wireFields(message)) {
    if (f.number === 1 && f.varint !== undefined) request.action = Number(f.varint)
    if (f.number === 2) request.ref = wireText(f.bytes)
    if (f.number === 3 && f.varint !== undefined) request.total = Number(f.varint)
    if (f.number === 4) request.expected = wireText(f.bytes)
    if (f.number === 5 && f.varint !== undefined) request.offset = Number(f.varint)
    if (f.number === 6 && f.bytes) request.data = f.bytes
  }
  return request
}

/** Pure: `WriteContentResponse { WriteAction action = 1; int64 offset = 4; int64 total = 5; string digest = 6; }` (the times left out). */
export function writeResponse(r: { action: number; offset: number; total?: number; digest: string }): Buffer {
  return Buffer.concat([
    ...(r.action ? [varintField(1, r.action)] : []),
    ...(r.offset ? [varintField(4, r.offset)] : []),
    ...(r.total ? [varintField(5, r.total)] : []),
    ...(r.digest ? [lengthDelimited(6, Buffer.from(r.digest))] : []),
  ])
}

/** A blob being written: a file under the layout's `ingest/`, its length and its running digest. */
class Ingest {
  readonly path: string
  private fd: number
  private hash: Hash = createHash('sha256')
  offset = 0

  constructor(dir: string, ref: string) {
    this.path = join(dir, 'ingest', createHash('sha256').update(ref).digest('hex'), 'data')
    mkdirSync(dirname(this.path), { recursive: true })
    this.fd = openSync(this.path, 'w')
  }

  get digest(): string {
    return `sha256:${this.hash.copy().digest('hex')}`
  }

  /** Back to an empty blob: the writer starts again from offset 0. */
  reset(): void {
    ftruncateSync(this.fd, 0)
    this.hash = createHash('sha256')
    this.offset = 0
  }

  write(data: Uint8Array): void {
    writeSync(this.fd, data, 0, data.length, this.offset)
    this.hash.update(data)
    this.offset += data.length
  }

  /** The blob moved to where the layout keeps it, `blobs/sha256/HEX`. */
  commit(to: string): void {
    closeSync(this.fd)
    mkdirSync(dirname(to), { recursive: true })
    renameSync(this.path, to)
    rmSync(dirname(this.path), { recursive: true, force: true })
  }

  abort(): void {
    try {
      closeSync(this.fd)
    } catch {
      // Closed by a commit already.
    }
    rmSync(dirname(this.path), { recursive: true, force: true })
  }
}

/** gRPC's status codes the Write answers with. */
export interface WriteCodes {
  readonly notFound: number
  readonly alreadyExists: number
  readonly invalidArgument: number
  readonly outOfRange: number
  readonly failedPrecondition: number
}

interface WriteCall extends Duplex {
  readonly metadata: { get(key: string): (string | Buffer)[] }
}

/** The failure a Write ends with: its gRPC status and why. */
class WriteFailure extends Error {
  constructor(
    readonly code: number,
    readonly details: string,
  ) {
    super(details)
  }
}

/** One Write call's state: the blob being written, and the size and digest the writer expects of it. */
class Write {
  private ingest: Ingest | undefined
  private total = 0
  private expected = ''

  constructor(
    private readonly dir: string | undefined,
    private readonly codes: WriteCodes,
    private readonly answer: (response: Buffer) => void,
  ) {}

  /** One request answered; true once it committed the blob, which ends the call. */
  step(request: WriteRequest): boolean {
    const { codes } = this
    if (!this.ingest) {
      if (!request.ref) throw new WriteFailure(codes.invalidArgument, 'first message must have a reference')
      if (this.dir === undefined) throw new WriteFailure(codes.notFound, 'no such content store in this build session')
      this.ingest = new Ingest(this.dir, request.ref)
    }
    const ingest = this.ingest
    if (request.expected) {
      this.expected = request.expected
      if (existsSync(blobPath(this.dir!, this.expected)))
        throw new WriteFailure(codes.alreadyExists, `content ${this.expected}: already exists`)
    }
    if (request.total > 0) this.total = request.total
    if (request.action === STAT) {
      this.answer(writeResponse({ action: STAT, offset: ingest.offset, total: this.total, digest: ingest.digest }))
      return false
    }
    if (request.offset > 0 && request.offset !== ingest.offset)
      throw new WriteFailure(codes.outOfRange, `write @${request.offset} must occur at current offset ${ingest.offset}`)
    if (request.offset === 0 && ingest.offset > 0) ingest.reset()
    if (request.data.length > 0) ingest.write(request.data)
    const { digest, offset } = ingest
    if (request.action === COMMIT) {
      if (this.total > 0 && offset !== this.total)
        throw new WriteFailure(codes.failedPrecondition, `unexpected commit size ${offset}, expected ${this.total}`)
      if (this.expected && digest !== this.expected)
        throw new WriteFailure(
          codes.failedPrecondition,
          `unexpected commit digest ${digest}, expected ${this.expected}`,
        )
      ingest.commit(blobPath(this.dir!, digest))
      this.ingest = undefined
    }
    this.answer(writeResponse({ action: request.action, offset, digest }))
    return request.action === COMMIT
  }

  /** What was written and not committed is dropped. */
  abort(): void {
    this.ingest?.abort()
    this.ingest = undefined
  }
}

/**
 * The session's `Content/Write` as containerd's content service answers it, into the store (`local:DIR`
 * → DIR) the call's metadata names: the first message names the write (`ref`); a STAT says how far it
 * is; a WRITE appends at the offset it names (0 starts again); a COMMIT checks the size and digest
 * expected and moves the blob into the layout, ending the call. A blob the layout already has is
 * answered AlreadyExists, which BuildKit takes as written.
 */
export function contentWriteHandler(stores: ReadonlyMap<string, string>, codes: WriteCodes) {
  return (stream: unknown): void => {
    const call = stream as WriteCall
    const write = new Write(stores.get(String(call.metadata.get(STORE_ID)[0] ?? '')), codes, (r) => call.write(r))
    let ended = false
    const finish = () => {
      write.abort()
      if (!ended) call.end()
      ended = true
    }
    call.on('data', (message: Buffer) => {
      if (ended) return
      try {
        if (write.step(writeRequest(message))) finish()
      } catch (error) {
        ended = true
        write.abort()
        const failure = error instanceof WriteFailure ? error : new WriteFailure(2, (error as Error).message)
        call.emit('error', Object.assign(new Error(failure.details), { code: failure.code, details: failure.details }))
      }
    })
    // The writer closed without a commit: what it wrote is dropped.
    call.on('end', finish)
  }
}

/** An OCI descriptor, as BuildKit answers the cache's manifest (`cache.manifest`). */
interface Descriptor {
  readonly mediaType?: string
  readonly digest: string
  readonly size: number
  readonly annotations?: Record<string, string>
}

const REF_NAME = 'org.opencontainers.image.ref.name'

/**
 * Pure: a layout's `index.json` with `manifest` tagged `tag`, as buildx puts it there: another
 * manifest of the same tag is replaced; the others are kept.
 */
export function taggedIndex(index: string | undefined, manifest: Descriptor, tag: string): string {
  const parsed = (index ? JSON.parse(index) : {}) as { manifests?: Descriptor[] } & Record<string, unknown>
  const kept = (parsed.manifests ?? []).filter(
    (m) => m.annotations?.[REF_NAME] !== tag || m.annotations['io.containerd.image.name'] !== undefined,
  )
  return JSON.stringify({
    ...parsed,
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [...kept, { ...manifest, annotations: { ...manifest.annotations, [REF_NAME]: tag } }],
  })
}

/** Tags the cache's manifest (BuildKit's `cache.manifest` answer, JSON) in the layout at `dest`, with its `oci-layout`. */
export function tagLocalCache(dest: string, manifest: string, tag = 'latest'): void {
  const indexPath = join(dest, 'index.json')
  const index = existsSync(indexPath) ? readFileSync(indexPath, 'utf8') : undefined
  writeFileSync(join(dest, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }))
  writeFileSync(indexPath, taggedIndex(index, JSON.parse(manifest) as Descriptor, tag))
}
