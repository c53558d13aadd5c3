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

  it('covers a secret value v2 prints with --no-interpolate, and nothing the harness prints there', () => {
    const leaked = { kind: 'model', path: 'secrets.token.x-#value', harness: undefined, reference: 'hunter2' } as const
    expect(divergenceOf(leaked)?.id).toBe('no-interpolate-hides-env-secret')
    expect(divergenceOf({ ...leaked, harness: 'hunter2' })).toBeUndefined()
    expect(divergenceOf({ ...leaked, path: 'secrets.token.x-other' })).toBeUndefined()
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

  it("knows a dry run's recreated container and removed network only on the side and command they concern", () => {
    const command = 'up -d --force-recreate app'
    const temporary = 'Container 17cf26bc157d_p-app-1 Started'
    expect(divergenceOf({ kind: 'dry-run', command, line: temporary, harness: 0, reference: 1 })?.id).toBe(
      'dry-run-recreated-container-named',
    )
    expect(
      divergenceOf({ kind: 'dry-run', command, line: 'Container p-app-1 Started', harness: 1, reference: 0 })?.id,
    ).toBe('dry-run-recreated-container-named')
    expect(divergenceOf({ kind: 'dry-run', command, line: temporary, harness: 1, reference: 0 })).toBeUndefined()
    expect(
      divergenceOf({ kind: 'dry-run', command: 'up -d', line: 'Container p-app-1 Started', harness: 1, reference: 0 }),
    ).toBeUndefined()
    const inUse = 'Network p_default Resource is still in use'
    expect(divergenceOf({ kind: 'dry-run', command: 'down -v', line: inUse, harness: 0, reference: 1 })?.id).toBe(
      'dry-run-network-removed',
    )
    expect(divergenceOf({ kind: 'dry-run', command: 'stop', line: inUse, harness: 0, reference: 1 })).toBeUndefined()
  })
  it('knows warnings written as WARN lines where v2 logs them, only when the rest of the output is the same', () => {
    const outcome = (stderr: string[], stdout: string[] = ['web']) => ({ code: 0, stdout, stderr })
    const reference = outcome(['time="2026-12-05T22:01:06Z" level=warning msg="Found orphan containers ([p-old-1])"'])
    const ours = outcome(['WARN Found orphan containers (p-old-1) for this project.'])
    expect(divergenceOf({ kind: 'command', command: 'up -d', harness: ours, reference })?.id).toBe(
      'warnings-as-warn-lines',
    )
    const terminal = outcome(['WARN[0000] Found orphan containers ([p-old-1])'])
    expect(divergenceOf({ kind: 'command', command: 'up -d', harness: ours, reference: terminal })?.id).toBe(
      'warnings-as-warn-lines',
    )
    // Another output beside the warnings, or a warning on one side only, is a finding.
    const printed = { kind: 'command' as const, command: 'up -d', reference }
    expect(divergenceOf({ ...printed, harness: outcome(ours.stderr, ['db']) })).toBeUndefined()
    expect(divergenceOf({ ...printed, harness: outcome([]) })).toBeUndefined()
    expect(divergenceOf({ ...printed, harness: outcome([...ours.stderr, 'Error: it failed']) })).toBeUndefined()
  })

  it('knows an unknown service only with v2’s words first, the same exit code, and the files and services after them', () => {
    const outcome = (code: number, line: string) => ({ code, stdout: [], stderr: [line] })
    const reference = outcome(1, 'no such service: nosuch')
    const said = outcome(1, 'no such service: nosuch (in /p/compose.yml; the services are web, db)')
    expect(divergenceOf({ kind: 'command', command: 'logs nosuch', harness: said, reference })?.id).toBe(
      'unknown-service-says-which',
    )
    expect(
      divergenceOf({ kind: 'command', command: 'logs nosuch', harness: { ...said, code: 0 }, reference }),
    ).toBeUndefined()
    expect(
      divergenceOf({
        kind: 'command',
        command: 'logs nosuch',
        harness: outcome(1, 'unknown: nosuch (in x)'),
        reference,
      }),
    ).toBeUndefined()
  })
})
