import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readText } from '../../../harness/api/compose-files.js'
import { ComposeError } from '../../../harness/model/document/compose-error.js'
import { parseComposeDocuments } from '../../../harness/model/document/parse.js'
import { aliasBomb, aliasedLongString } from '../../support/hostile-files.js'

describe('hostile input', () => {
  it('refuses a file whose aliases expand past 16 MB, before anything expands them', () => {
    const started = Date.now()
    expect(() => parseComposeDocuments('bomb.yml', aliasBomb())).toThrow(
      new ComposeError([
        {
          at: { file: 'bomb.yml' },
          path: [],
          detail:
            'the file expands to more than 16 MB once its YAML aliases are resolved: refused, as a bomb of aliases would exhaust memory',
        },
      ]).message,
    )
    expect(Date.now() - started).toBeLessThan(5_000)
  })

  it('refuses a few aliases of a long string as well: it is the size that counts, not the number of values', () => {
    const text = aliasedLongString(90_000, 200)
    expect(() => parseComposeDocuments('long.yml', text)).toThrow(/expands to more than 16 MB/)
  })

  it('still loads a file whose anchors are used a reasonable number of times', () => {
    const text =
      'x-env: &env {A: "1"}\nservices:\n' +
      Array.from({ length: 200 }, (_, i) => `  s${i}:\n    image: w\n    environment: *env\n`).join('')
    expect(Object.keys(parseComposeDocuments('ok.yml', text)[0]!.value.services as object)).toHaveLength(200)
  })

  it('reads an env file only when it is a regular file of sane size', () => {
    expect(() => readText('/dev/zero')).toThrow('/dev/zero: cannot read the env file: it is not a regular file')
    const big = join(mkdtempSync(join(tmpdir(), 'env-')), 'big.env')
    writeFileSync(big, `A=${'x'.repeat(5 * 1024 * 1024)}\n`)
    expect(() => readText(big)).toThrow(
      /big\.env: cannot read the env file: it has 5242883 bytes, more than the 4194304 an env file may have$/,
    )
    expect(readText(join(tmpdir(), 'no-such-env-file.env'))).toBeUndefined()
  })
})
