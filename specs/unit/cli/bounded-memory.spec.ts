import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../../support/cli.js'
import { aliasBomb, aliasedLongString } from '../../support/hostile-files.js'

/** Far below what the hostile inputs cost before they were bounded (4.3 GB and 16.8 GB), and above the CLI's own ~90 MiB. */
const PEAK_LIMIT_MIB = 200

function projectWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'hostile-'))
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text)
  return join(dir, 'compose.yml')
}

describe('memory stays bounded whatever the input (config -q, peak of the CLI process)', () => {
  it('a file of nested aliases: refused with its reason, in bounded memory', async () => {
    const file = projectWith({ 'compose.yml': aliasBomb() })
    const run = await runCli(['-f', file, 'config', '-q'])
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('expands to more than 16 MB once its YAML aliases are resolved')
    expect(run.peakMiB).toBeLessThan(PEAK_LIMIT_MIB)
  })

  it('a 90 KB string aliased 190 times: refused, in bounded memory', async () => {
    const run = await runCli(['-f', projectWith({ 'compose.yml': aliasedLongString(90_000, 190) }), 'config', '-q'])
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('expands to more than 16 MB')
    expect(run.peakMiB).toBeLessThan(PEAK_LIMIT_MIB)
  })

  it('env_file: /dev/zero: refused as not a regular file, in bounded memory', async () => {
    const file = projectWith({ 'compose.yml': 'services:\n  web:\n    image: w\n    env_file: /dev/zero\n' })
    const run = await runCli(['-f', file, 'config', '-q'], { timeoutMs: 30_000 })
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('/dev/zero: cannot read the env file: it is not a regular file')
    expect(run.peakMiB).toBeLessThan(PEAK_LIMIT_MIB)
  })

  it('measures: a valid file loads in the same bounded memory', async () => {
    const run = await runCli(['-f', 'fixtures/echo/docker-compose.yml', 'config', '-q'])
    expect(run.code).toBe(0)
    expect(run.peakMiB).toBeGreaterThan(10)
    expect(run.peakMiB).toBeLessThan(PEAK_LIMIT_MIB)
  })
})
