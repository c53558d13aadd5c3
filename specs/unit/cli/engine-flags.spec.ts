import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../../support/cli.js'
import { writeDockerContext } from '../../support/docker-contexts.js'

// The docker CLI's engine flags, which standalone Compose v2 takes before the command: the CLI talks
// to the engine they name, and to no other when that one is not there.
describe('-H and --context choose the engine', () => {
  it('-H ADDRESS over DOCKER_HOST: an address where nothing answers is said, not replaced', async () => {
    const run = await runCli(['-H', 'tcp://127.0.0.1:1', 'ls'], { env: { DOCKER_HOST: undefined }, timeoutMs: 30_000 })
    expect(run.code).toBe(1)
    expect(run.stderr).toContain(
      'no Docker engine answers at tcp://127.0.0.1:1 (DOCKER_HOST: connect ECONNREFUSED 127.0.0.1:1)',
    )
  })

  it('--context NAME over DOCKER_CONTEXT: a context the docker CLI does not have is refused', async () => {
    const run = await runCli(['--context', 'no-such-context', 'ls'], {
      env: { DOCKER_HOST: undefined, DOCKER_CONTEXT: 'default' },
      timeoutMs: 30_000,
    })
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('Docker context "no-such-context" not found: DOCKER_CONTEXT (or --context) names it')
  })
})

describe('--tlsverify and the TLS files', () => {
  it('a TLS file that is not there is named, as Compose v2 names it', async () => {
    const run = await runCli(['--tlsverify', '--tlscacert', '/nonexistent/ca.pem', '-H', 'tcp://127.0.0.1:1', 'ls'], {
      env: { DOCKER_HOST: undefined },
      timeoutMs: 30_000,
    })
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('open /nonexistent/ca.pem: no such file or directory')
  })

  it('TLS that does not check the engine is refused, saying what to give instead', async () => {
    const run = await runCli(['--tls', '--tlscacert', 'package.json', '-H', 'tcp://127.0.0.1:1', 'ls'], {
      env: { DOCKER_HOST: undefined },
      timeoutMs: 30_000,
    })
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('--tlsverify --tlscacert FILE')
  })

  it('a Docker context that does not check the engine’s certificate (skip-tls-verify) is refused, saying what to give it', async () => {
    const config = mkdtempSync(join(tmpdir(), 'docker-config-'))
    try {
      writeDockerContext(config, 'lax', 'tcp://127.0.0.1:1', { skipTlsVerify: true })
      const run = await runCli(['--context', 'lax', 'ls'], {
        env: { DOCKER_HOST: undefined, DOCKER_CONFIG: config },
        timeoutMs: 30_000,
      })
      expect(run.code).toBe(1)
      expect(run.stderr).toContain('Docker context "lax" does not check the engine\'s certificate (skip-tls-verify)')
      expect(run.stderr).toContain('docker context update lax --docker "host=tcp://127.0.0.1:1,ca=FILE')
    } finally {
      rmSync(config, { recursive: true, force: true })
    }
  })
})
