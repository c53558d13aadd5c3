import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCliSync } from '../../support/cli.js'

function compare(files: string[], env: Record<string, string> = {}, ...args: string[]) {
  const r = runCliSync([...files.flatMap((f) => ['-f', f]), 'compare', ...args], { env })
  return { code: r.code, stdout: r.stdout.trimEnd(), stderr: r.stderr }
}

describe('compose-harness compare (the model, against Compose v2)', () => {
  it('says so when both tools load the files into the same model, and exits 0', () => {
    const { code, stdout } = compare(['fixtures/echo/docker-compose.yml'])
    expect(stdout).toMatch(/^compose-harness and Compose v2 [\d.]+\S* load these files into the same model\.$/)
    expect(code).toBe(0)
  })

  it('marks a difference the harness makes on purpose as known, with its reason, and exits 0', () => {
    const { code, stdout } = compare(['fixtures/invalid/restart-policy.yml'])
    expect(stdout.split('\n')).toEqual([
      expect.stringMatching(
        /^known {3}validity: the harness refuses the files, Compose v2 loads them\. The harness says: .*services\.web\.restart: expected no/,
      ),
      '        (refused-at-load: The mistake is named with its file, line and key before anything starts.)',
      expect.stringMatching(/differ only where the harness differs on purpose \(1 known\)\.$/),
    ])
    expect(code).toBe(0)
  })

  it('reports any other difference as one, one JSON object a line with --format json, and exits 1', () => {
    const env = { COMPOSE_HARNESS_REFERENCE: resolve('fixtures/conformance/fake-reference/compose-v2-that-disagrees') }
    const text = compare(['fixtures/echo/docker-compose.yml'], env)
    expect(text.stdout.split('\n')).toEqual([
      'DIFFERS model services.echo-server.image: harness "server", Compose v2 "not-server"',
      'compose-harness and Compose v2 2.99.0 differ in 1 way(s) the harness does not mean to: please report them.',
    ])
    expect(text.code).toBe(1)
    const json = compare(['fixtures/echo/docker-compose.yml'], env, '--format', 'json')
    expect(JSON.parse(json.stdout)).toEqual({
      kind: 'model',
      path: 'services.echo-server.image',
      harness: 'server',
      reference: 'not-server',
      divergence: null,
    })
    expect(json.code).toBe(1)
  })
})
