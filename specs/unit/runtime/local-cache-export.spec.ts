import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { afterAll, describe, expect, it } from 'vitest'
import {
  contentWriteHandler,
  tagLocalCache,
  taggedIndex,
  writeRequest,
} from '../../../harness/runtime/images/local-cache-export.js'
import { lengthDelimited, varintField, wireFields, wireText } from '../../../harness/runtime/images/protobuf-wire.js'

const dir = mkdtempSync(join(tmpdir(), 'local-cache-export-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const CODES = { notFound: 5, alreadyExists: 6, invalidArgument: 3, outOfRange: 11, failedPrecondition: 9 }
const REF_NAME = 'org.opencontainers.image.ref.name'

/** A `WriteContentRequest` as containerd's proxy writer sends it. */
function request(r: {
  action?: number
  ref?: string
  total?: number
  expected?: string
  offset?: number
  data?: string
}) {
  return Buffer.concat([
    ...(r.action ? [varintField(1, r.action)] : []),
    ...(r.ref ? [lengthDelimited(2, Buffer.from(r.ref))] : []),
    ...(r.total ? [varintField(3, r.total)] : []),
    ...(r.expected ? [lengthDelimited(4, Buffer.from(r.expected))] : []),
    ...(r.offset ? [varintField(5, r.offset)] : []),
    ...(r.data ? [lengthDelimited(6, Buffer.from(r.data))] : []),
  ])
}

/** A Write call on the store `local:DIR`: the requests sent in turn; what was answered, and the status it ended with. */
async function write(store: string, requests: Buffer[]) {
  const answers: { offset: number; total: number; digest: string }[] = []
  let failure: { code: number; details: string } | undefined
  const incoming = new PassThrough({ objectMode: true })
  // The handler reads what BuildKit sends from `call`'s readable side and answers on its writable side.
  const stream = Object.assign(incoming, {
    metadata: { get: () => [store] },
    write: (answer: Buffer) => {
      const fields = [...wireFields(answer)]
      const num = (n: number) => Number(fields.find((f) => f.number === n)?.varint ?? 0)
      answers.push({ offset: num(4), total: num(5), digest: wireText(fields.find((f) => f.number === 6)?.bytes) })
      return true
    },
  })
  const ended = new Promise<void>((done) => {
    stream.end = (() => {
      done()
      return stream
    }) as typeof stream.end
    stream.on('error', (e: { code: number; details: string }) => {
      failure = { code: e.code, details: e.details }
      done()
    })
  })
  contentWriteHandler(new Map([[`local:${dir}`, dir]]), CODES)(stream)
  for (const r of requests) stream.emit('data', r)
  stream.emit('end')
  await ended
  return { answers, failure, store }
}

const blob = 'a cache layer'
const digest = `sha256:${createHash('sha256').update(blob).digest('hex')}`

describe('a local cache written (cache_to: type=local on containerd’s image store)', () => {
  it('reads a write request', () => {
    expect(
      writeRequest(request({ action: 2, ref: 'r', total: 3, expected: 'sha256:ab', offset: 1, data: 'x' })),
    ).toEqual({
      action: 2,
      ref: 'r',
      total: 3,
      expected: 'sha256:ab',
      offset: 1,
      data: expect.objectContaining({ 0: 'x'.charCodeAt(0), length: 1 }),
    })
  })

  it('writes a blob as containerd’s content service does: negotiated, written in parts, committed into blobs/', async () => {
    const { answers, failure } = await write(`local:${dir}`, [
      request({ ref: 'layer', total: blob.length, expected: digest }),
      request({ action: 1, data: blob.slice(0, 5) }),
      request({ action: 0 }),
      request({ action: 1, offset: 5, data: blob.slice(5) }),
      request({ action: 2, total: blob.length, offset: blob.length, expected: digest }),
    ])
    expect(failure).toBeUndefined()
    expect(answers.map((a) => a.offset)).toEqual([0, 5, 5, blob.length, blob.length])
    expect(answers[2]!.total).toBe(blob.length)
    expect(answers.at(-1)!.digest).toBe(digest)
    expect(readFileSync(join(dir, 'blobs', 'sha256', digest.slice(7)), 'utf8')).toBe(blob)
    expect(readdirSync(join(dir, 'ingest'))).toEqual([])
  })

  it('answers AlreadyExists for a blob the layout has, which BuildKit takes as written', async () => {
    const { failure } = await write(`local:${dir}`, [request({ ref: 'again', total: blob.length, expected: digest })])
    expect(failure?.code).toBe(CODES.alreadyExists)
  })

  it('refuses a write at another offset, a commit of the wrong digest, a first message without a ref, an unknown store; drops what it wrote', async () => {
    const other = 'other bytes'
    const otherDigest = `sha256:${createHash('sha256').update(other).digest('hex')}`
    const offset = await write(`local:${dir}`, [request({ ref: 'o' }), request({ action: 1, offset: 4, data: 'x' })])
    expect(offset.failure?.code).toBe(CODES.outOfRange)
    const wrong = await write(`local:${dir}`, [
      request({ ref: 'w' }),
      request({ action: 1, data: other }),
      request({ action: 2, offset: other.length, expected: `sha256:${'0'.repeat(64)}` }),
    ])
    expect(wrong.failure).toEqual({ code: CODES.failedPrecondition, details: expect.stringContaining(otherDigest) })
    expect(existsSync(join(dir, 'blobs', 'sha256', otherDigest.slice(7)))).toBe(false)
    expect((await write(`local:${dir}`, [request({ action: 1 })])).failure?.code).toBe(CODES.invalidArgument)
    expect((await write('local:/elsewhere', [request({ ref: 'x' })])).failure?.code).toBe(CODES.notFound)
    expect(readdirSync(join(dir, 'ingest'))).toEqual([])
  })

  it('tags the cache’s manifest in index.json as buildx does, replacing the one of the same tag and keeping the others', () => {
    const manifest = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: 'sha256:01', size: 2 }
    const first = JSON.parse(taggedIndex(undefined, manifest, 'latest'))
    expect(first).toEqual({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [{ ...manifest, annotations: { [REF_NAME]: 'latest' } }],
    })
    const next = { ...manifest, digest: 'sha256:02' }
    const kept = JSON.parse(taggedIndex(taggedIndex(JSON.stringify(first), manifest, 'main'), next, 'latest'))
    expect(
      kept.manifests.map((m: { digest: string; annotations: Record<string, string> }) => [
        m.digest,
        m.annotations[REF_NAME],
      ]),
    ).toEqual([
      ['sha256:01', 'main'],
      ['sha256:02', 'latest'],
    ])
    tagLocalCache(dir, JSON.stringify(next))
    expect(JSON.parse(readFileSync(join(dir, 'oci-layout'), 'utf8'))).toEqual({ imageLayoutVersion: '1.0.0' })
    expect(JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')).manifests[0].digest).toBe('sha256:02')
  })
})
