import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { fileMounts } from '../../../harness/runtime/create/file-mounts.js'
import { tarFiles } from '../../../harness/runtime/create/tar-files.js'
import { loadInline } from '../support/load-inline.js'

describe('secrets and configs outside Swarm', () => {
  const { project } = loadInline(
    `services:
  app:
    image: x
    secrets: [pw, {source: token, target: api/token, mode: 0400, uid: "1000"}]
    configs: [conf, {source: inline, target: etc/inline.conf}]
secrets:
  pw: {file: ./pw.txt}
  token: {environment: TOKEN}
configs:
  conf: {file: /etc/app.conf}
  inline: {content: "a = 1"}
`,
    { env: { TOKEN: 'abc' } },
  )

  it('binds file sources read-only and writes the others, at Compose v2’s places', () => {
    expect(fileMounts(project.services.app!, project)).toEqual({
      binds: [
        { Type: 'bind', Source: '/project/pw.txt', Target: '/run/secrets/pw', ReadOnly: true },
        { Type: 'bind', Source: '/etc/app.conf', Target: '/conf', ReadOnly: true },
      ],
      files: [
        { path: '/run/secrets/api/token', content: 'abc', mode: 0o400, uid: 1000, gid: 0 },
        { path: '/etc/inline.conf', content: 'a = 1', mode: 0o444, uid: 0, gid: 0 },
      ],
    })
  })

  it('makes a tar archive that tar itself extracts, with each file’s content and mode', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tar-files-'))
    try {
      const long = `deep/${'d'.repeat(120)}/file.txt`
      writeFileSync(
        join(dir, 'a.tar'),
        tarFiles([
          { path: '/run/secrets/api/token', content: 'abc\n', mode: 0o400, uid: 0, gid: 0 },
          { path: `/${long}`, content: 'x'.repeat(700), mode: 0o640, uid: 0, gid: 0 },
        ]),
      )
      execFileSync('tar', ['-xf', 'a.tar', '--no-same-owner'], { cwd: dir })
      expect(readFileSync(join(dir, 'run/secrets/api/token'), 'utf8')).toBe('abc\n')
      expect(statSync(join(dir, 'run/secrets/api/token')).mode & 0o777).toBe(0o400)
      expect(readFileSync(join(dir, long), 'utf8')).toBe('x'.repeat(700))
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
