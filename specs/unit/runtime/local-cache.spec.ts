import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { afterAll, describe, expect, it } from 'vitest'
import {
  contentStoreHandlers,
  infoResponse,
  localCacheImports,
  readResponse,
  resolveLocalCache,
} from '../../../harness/runtime/images/local-cache.js'
import { lengthDelimited, varintField, wireFields, wireText } from '../../../harness/runtime/images/protobuf-wire.js'

// A local cache as `cache_to: type=local` writes it: an OCI layout whose index.json tags the cache's manifest.
const dir = mkdtempSync(join(tmpdir(), 'local-cache-'))
const manifest = Buffer.from('{"schemaVersion":2,"manifests":[]}')
const digest = `sha256:${createHash('sha256').update(manifest).digest('hex')}`
mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true })
writeFileSync(join(dir, 'blobs', 'sha256', digest.slice(7)), manifest)
writeFileSync(
  join(dir, 'index.json'),
  JSON.stringify({ manifests: [{ digest, annotations: { 'org.opencontainers.image.ref.name': 'latest' } }] }),
)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const call = (store: string, request: Buffer) => ({ request, metadata: { get: () => [store] } })
const readRequest = (d: string, offset = 0, size = 0) =>
  Buffer.concat([lengthDelimited(1, Buffer.from(d)), varintField(2, offset), varintField(3, size)])

describe('a local cache (cache_from: type=local)', () => {
  it('reads type=local entries, their directory from the current one, their tag latest unless given', () => {
    expect(
      localCacheImports(['example/app:cache', 'type=local,src=cache', 'type=local,src=/c,tag=main'], '/work'),
    ).toEqual([
      { src: '/work/cache', tag: 'latest' },
      { src: '/c', tag: 'main' },
    ])
  })

  it('finds the manifest index.json tags, and skips, saying why, a tag or a blob that is not there', () => {
    expect(resolveLocalCache({ src: dir, tag: 'latest' })).toEqual({ digest })
    expect(resolveLocalCache({ src: dir, tag: 'main' })).toEqual({
      skipped: `local cache import at ${dir} skipped: no digest found for tag main`,
    })
    expect(resolveLocalCache({ src: dir, tag: 'latest', digest: 'sha256:00' })).toEqual({
      skipped: `local cache import at ${dir} skipped: digest sha256:00 unavailable: not found`,
    })
    expect(resolveLocalCache({ src: join(dir, 'nothing'), tag: 'latest' })).toMatchObject({
      skipped: expect.stringMatching(/^local cache import at .*nothing skipped: ENOENT/),
    })
  })

  it('serves its blobs to BuildKit: the size, then the bytes from an offset, in the store the call names', async () => {
    const handlers = contentStoreHandlers(new Map([[`local:${dir}`, dir]]), 5)
    const info = await new Promise<[unknown, Buffer | undefined]>((done) =>
      handlers.Info(call(`local:${dir}`, lengthDelimited(1, Buffer.from(digest))), (e, v) => done([e, v])),
    )
    expect(info).toEqual([null, infoResponse(digest, manifest.length)])
    const missing = await new Promise<unknown>((done) =>
      handlers.Info(call('local:/elsewhere', lengthDelimited(1, Buffer.from(digest))), (e) => done(e)),
    )
    expect(missing).toMatchObject({ code: 5 })
    const stream = Object.assign(new PassThrough({ objectMode: true }), call(`local:${dir}`, readRequest(digest, 2, 5)))
    const messages: Buffer[] = []
    stream.on('data', (m: Buffer) => messages.push(m))
    handlers.Read(stream)
    await new Promise((done) => stream.on('end', done))
    expect(messages).toEqual([readResponse(2, manifest.subarray(2, 7))])
    const [offset, data] = [...wireFields(messages[0]!)]
    expect([Number(offset!.varint), wireText(data!.bytes)]).toEqual([2, manifest.subarray(2, 7).toString()])
  })
})
