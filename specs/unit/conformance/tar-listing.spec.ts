import { createHash } from 'node:crypto'
import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { imageFacts } from '../../../harness/conformance/image-facts.js'
import { listTar } from '../../../harness/conformance/tar-listing.js'
import { pack } from '../../../harness/runtime/engine/engine-libraries.js'

/** The archive in chunks of an odd size, so that headers and contents are split across them. */
async function* chunked(stream: NodeJS.ReadableStream, size: number): AsyncGenerator<Buffer> {
  let rest = Buffer.alloc(0)
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    rest = Buffer.concat([rest, chunk])
    while (rest.length >= size) {
      yield rest.subarray(0, size)
      rest = rest.subarray(size)
    }
  }
  if (rest.length) yield rest
}

describe("an image's files, as `docker export` streams them", () => {
  it('lists every entry with its type, mode, owner and content digest, long names included', async () => {
    const root = mkdtempSync(join(tmpdir(), 'tar-'))
    const deep = `${'long-directory-name/'.repeat(6)}file.txt`
    mkdirSync(join(root, deep, '..'), { recursive: true })
    writeFileSync(join(root, deep), 'deep')
    writeFileSync(join(root, 'tool'), 'x'.repeat(1500))
    chmodSync(join(root, 'tool'), 0o4750)
    symlinkSync('tool', join(root, 'link'))
    const entries = await listTar(chunked(pack(root), 333))
    const byPath = Object.fromEntries(entries.map((e) => [e.path, e]))
    const sha = (text: string) => createHash('sha256').update(text).digest('hex')
    expect(byPath['/tool']).toEqual({
      path: '/tool',
      type: 'file',
      mode: '4750',
      owner: `${process.getuid!()}:${process.getgid!()}`,
      content: sha('x'.repeat(1500)),
    })
    expect(byPath[`/${deep}`]).toMatchObject({ type: 'file', content: sha('deep') })
    expect(byPath['/link']).toMatchObject({ type: 'symlink', content: 'tool' })
    expect(byPath['/long-directory-name']).toMatchObject({ type: 'dir' })
  })

  it('compares an image by what a container of it starts with and by its files; the project and tool version neutral', () => {
    const facts = imageFacts(
      'proj-h',
      {
        Os: 'linux',
        Architecture: 'amd64',
        Config: {
          Env: ['A=1'],
          Cmd: ['serve'],
          Labels: { 'com.docker.compose.project': 'proj-h', 'com.docker.compose.version': '2.40.3' },
        },
      } as never,
      [
        { path: '/app', type: 'file', mode: '0755', owner: '0:0', content: 'abc' },
        { path: '/etc/hostname', type: 'file', mode: '0644', owner: '0:0', content: 'def' },
        { path: '/proc/self', type: 'dir', mode: '0555', owner: '0:0' },
      ],
      ['proj-h-app:extra'],
    )
    expect(facts).toMatchObject({
      config: {
        env: ['A=1'],
        cmd: ['serve'],
        labels: { 'com.docker.compose.project': '<project>', 'com.docker.compose.version': '<tool version>' },
      },
      tags: ['<project>-app:extra'],
      files: { '/app': 'file 0755 0:0 abc' },
    })
    expect(Object.keys(facts.files as object)).toEqual(['/app'])
  })
})
