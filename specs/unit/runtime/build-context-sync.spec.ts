import { linkSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  dataPacket,
  filterOf,
  goFileMode,
  PACKET,
  readPacket,
  statPacket,
  syncEntries,
  type SyncFilter,
} from '../../../harness/runtime/images/build-context-sync.js'
import { wireFields, wireText } from '../../../harness/runtime/images/protobuf-wire.js'

const NONE: SyncFilter = { includes: [], excludes: [], followPaths: [] }

/** A context: files at depth, names whose byte order is not their locale order, a link of each kind. */
function context(): string {
  const root = mkdtempSync(join(tmpdir(), 'sync-'))
  mkdirSync(join(root, 'src/lib'), { recursive: true })
  mkdirSync(join(root, 'docs'))
  for (const file of ['Dockerfile', 'a.txt', 'B.txt', 'src/main.c', 'src/lib/util.c', 'docs/readme.md'])
    writeFileSync(join(root, file), file)
  symlinkSync('src/main.c', join(root, 'main-link'))
  linkSync(join(root, 'a.txt'), join(root, 'z-hard.txt'))
  return root
}

describe('the build context, as a build session sends it to BuildKit (FileSync)', () => {
  it("lists every path in fsutil's order: depth first, names in byte order, a directory before what it holds", () => {
    const entries = syncEntries({ root: context() }, NONE)
    expect(entries.map((e) => e.path)).toEqual([
      'B.txt',
      'Dockerfile',
      'a.txt',
      'docs',
      'docs/readme.md',
      'main-link',
      'src',
      'src/lib',
      'src/lib/util.c',
      'src/main.c',
      'z-hard.txt',
    ])
    const byPath = Object.fromEntries(entries.map((e) => [e.path, e]))
    expect(byPath['main-link']).toMatchObject({ linkname: 'src/main.c', mode: 2 ** 27 + 0o777 })
    expect(byPath['z-hard.txt']).toMatchObject({ linkname: 'a.txt', size: 0n })
    expect(byPath['z-hard.txt']!.content).toBeUndefined()
    expect(byPath['src']!.mode).toBe(2 ** 31 + 0o755)
    expect(byPath['a.txt']).toMatchObject({ size: 5n, content: { file: expect.stringMatching(/a\.txt$/) } })
  })

  it('sends what the exclude patterns leave, and the directories leading to an exception', () => {
    const entries = syncEntries({ root: context() }, { ...NONE, excludes: ['src', '!src/lib/util.c', '*.txt'] })
    expect(entries.map((e) => e.path)).toEqual([
      'Dockerfile',
      'docs',
      'docs/readme.md',
      'main-link',
      'src',
      'src/lib',
      'src/lib/util.c',
    ])
  })

  it('sends a hard link as a file where the first path of its file is not sent', () => {
    const entries = syncEntries({ root: context() }, { ...NONE, excludes: ['a.txt'] })
    expect(entries.find((e) => e.path === 'z-hard.txt')).toMatchObject({
      size: 5n,
      content: { file: expect.any(String) },
    })
    expect(entries.find((e) => e.path === 'z-hard.txt')?.linkname).toBeUndefined()
  })

  it('sends only what include patterns and follow paths name, with the directories that lead there', () => {
    const root = context()
    expect(
      syncEntries({ root }, { ...NONE, followPaths: ['Dockerfile', 'Dockerfile.dockerignore'] }).map((e) => e.path),
    ).toEqual(['Dockerfile'])
    expect(syncEntries({ root }, { ...NONE, includes: ['src/lib'] }).map((e) => e.path)).toEqual([
      'src',
      'src/lib',
      'src/lib/util.c',
    ])
    // A follow path that is a link is sent with what it points to.
    expect(syncEntries({ root }, { ...NONE, followPaths: ['main-link'] }).map((e) => e.path)).toEqual([
      'main-link',
      'src',
      'src/main.c',
    ])
  })

  it('serves an inline Dockerfile as the only file of its directory', () => {
    const [entry] = syncEntries({ files: { Dockerfile: 'FROM scratch\n' } }, { ...NONE, followPaths: ['Dockerfile'] })
    expect(entry).toMatchObject({ path: 'Dockerfile', mode: 0o644, size: 13n, content: { text: 'FROM scratch\n' } })
  })

  it("writes Unix modes as Go's os.FileMode, and leaves sockets out", () => {
    expect(goFileMode(0o100755)).toBe(0o755)
    expect(goFileMode(0o104755)).toBe(2 ** 23 + 0o755)
    expect(goFileMode(0o041777)).toBe(2 ** 31 + 2 ** 20 + 0o777)
    expect(goFileMode(0o020666)).toBe(2 ** 26 + 2 ** 21 + 0o666)
    expect(goFileMode(0o010644)).toBe(2 ** 25 + 0o644)
    expect(goFileMode(0o140755)).toBeUndefined()
  })

  it("encodes fsutil's packets: a STAT with its fields, the empty STAT that ends the list, DATA; reads REQ and FIN", () => {
    const modTime = 1_764_700_000_123_456_789n
    const packet = statPacket({ path: 'a.txt', mode: 0o644, uid: 1000, gid: 0, size: 5n, modTime })
    const [stat] = [...wireFields(packet)]
    expect(stat!.number).toBe(2)
    const fields = Object.fromEntries(
      [...wireFields(stat!.bytes!)].map((f) => [f.number, f.bytes ? wireText(f.bytes) : f.varint]),
    )
    expect(fields).toEqual({ 1: 'a.txt', 2: 0o644n, 3: 1000n, 5: 5n, 6: modTime })
    expect(statPacket()).toHaveLength(0)
    expect(readPacket(dataPacket(7, Buffer.from('hi')))).toEqual({ type: PACKET.data, id: 7, data: Buffer.from('hi') })
    expect(readPacket(dataPacket(7))).toMatchObject({ type: PACKET.data, id: 7, data: new Uint8Array() })
    expect(readPacket(Buffer.from([0x08, PACKET.req, 0x18, 3]))).toMatchObject({ type: PACKET.req, id: 3 })
    expect(readPacket(Buffer.from([0x08, PACKET.fin])).type).toBe(PACKET.fin)
  })

  it("reads the directory and patterns from the call's metadata, values joined or URL-encoded", () => {
    const metadata = (values: Record<string, string[]>) => ({ metadata: { get: (k: string) => values[k] ?? [] } })
    expect(
      filterOf(metadata({ 'dir-name': ['dockerfile'], followpaths: ['Dockerfile, Dockerfile.dockerignore'] })),
    ).toEqual({
      dir: 'dockerfile',
      filter: { includes: [], excludes: [], followPaths: ['Dockerfile', 'Dockerfile.dockerignore'] },
    })
    expect(
      filterOf(
        metadata({ 'dir-name': ['context'], 'exclude-patterns': ['caf%C3%A9'], 'exclude-patterns-encoded': ['true'] }),
      ).filter.excludes,
    ).toEqual(['café'])
  })
})
