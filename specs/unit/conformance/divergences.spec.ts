import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { DIVERGENCES, divergenceOf } from '../../../harness/conformance/divergences.js'

describe('the divergence table', () => {
  it('is the table of docs/conformance.md, row for row', () => {
    const page = readFileSync('docs/conformance.md', 'utf8')
    const section = page.slice(
      page.indexOf('## Where the harness differs on purpose'),
      page.indexOf('## Measure a corpus'),
    )
    const rows = [...section.matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1])
    expect(rows).toEqual(DIVERGENCES.map((d) => d.id))
  })

  it('covers only what it says: a loopback binding is known, another address is not', () => {
    const path = 'containers.<project>-web-1.portBindings.80/tcp[0].HostIp'
    expect(divergenceOf({ kind: 'container', path, harness: '127.0.0.1', reference: '' })?.id).toBe(
      'published-ports-on-loopback',
    )
    expect(divergenceOf({ kind: 'container', path, harness: '0.0.0.0', reference: '' })).toBeUndefined()
  })

  it('knows a refusal at load only when every problem is one the engine would refuse at up', () => {
    const restart =
      '/f.yml:4:5 services.web.restart: expected no, always, on-failure[:max-retries] or unless-stopped, got a string ("sometimes")'
    expect(divergenceOf({ kind: 'validity', harness: restart })?.id).toBe('refused-at-load')
    expect(
      divergenceOf({ kind: 'validity', harness: `${restart}\n/f.yml:5:5 services.web.colour: unknown key` }),
    ).toBeUndefined()
    expect(
      divergenceOf({ kind: 'validity', reference: 'services.web Additional property colour is not allowed' }),
    ).toBeUndefined()
  })
})
