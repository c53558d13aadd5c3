import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCliSync } from '../../support/cli.js'

describe('up of files with nothing to start', () => {
  it('fails as Compose v2 does, with "no service selected", before it reaches any engine', () => {
    const dir = mkdtempSync(join(tmpdir(), 'no-services-'))
    writeFileSync(join(dir, 'compose.yml'), 'services:\n  tool:\n    image: t\n    profiles: [tools]\n')
    const r = runCliSync(['-f', join(dir, 'compose.yml'), 'up', '-d'], { env: { DOCKER_HOST: 'tcp://127.0.0.1:9' } })
    expect(r.stderr.trim()).toBe(
      `no service selected: every service of ${join(dir, 'compose.yml')} is in a profile that is not active (tool); activate one with --profile`,
    )
    expect(r.code).toBe(1)
  })
})
