import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { referenceCompose, runReference } from '../../harness/conformance/reference-compose.js'
import { runCli } from '../support/cli.js'
import { writeDockerContext } from '../support/docker-contexts.js'
import { dockerInDockerOrWhyNot, type RemoteEngine } from './support/docker-in-docker.js'
import { writeEngineCertificates } from './support/engine-certificates.js'
import { leftOf } from './support/observe.js'
import { uniqueProjectName } from './support/test-projects.js'

// The harness on an engine served over TLS, the client's certificate checked, as GitLab CI's
// docker:dind serves it by default (the engine matrix runs its specs on Docker 28.5 so, through
// DOCKER_TLS_VERIFY and DOCKER_CERT_PATH). Here: the docker CLI's TLS flags, which standalone
// Compose v2 takes, and what each tool says when the engine's TLS is not met; each beside v2.
const ECHO = [
  '-f',
  resolve('fixtures/echo/docker-compose.yml'),
  '-f',
  resolve('fixtures/echo/docker-compose.build.yml'),
]

let remote: RemoteEngine | undefined
let unavailable = ''
/** The client's files under names of their own, and the cache the harness links them from. */
let scratch = ''

/** Nothing of this machine's engine settings: only what each test gives names the engine. */
const CLEAN: NodeJS.ProcessEnv = {
  DOCKER_HOST: undefined,
  DOCKER_TLS_VERIFY: undefined,
  DOCKER_CERT_PATH: undefined,
  DOCKER_CONTEXT: undefined,
  TESTCONTAINERS_HOST_OVERRIDE: undefined,
  COMPOSE_HARNESS_PUBLISH_ADDRESS: undefined,
}

/** Compose v2 with `args`, in an environment of `env` over this process's (a variable set to undefined is left out). */
function reference(args: readonly string[], env: NodeJS.ProcessEnv) {
  const merged: NodeJS.ProcessEnv = Object.fromEntries(
    Object.entries({ ...process.env, ...env }).filter(([, v]) => v !== undefined),
  )
  return runReference(referenceCompose(), args, { env: merged, timeoutMs: 240_000 })
}

describe.skipIf(!inject('engineReady'))('on an engine served over TLS (Docker-in-Docker, as docker:dind)', () => {
  beforeAll(async () => {
    const found = await dockerInDockerOrWhyNot({ tls: true })
    remote = found.remote
    unavailable = found.unavailable
    scratch = mkdtempSync(join(tmpdir(), 'compose-harness-tls-spec-'))
    if (!remote?.certs) return
    copyFileSync(join(remote.certs, 'ca.pem'), join(scratch, 'engine-ca.crt'))
    copyFileSync(join(remote.certs, 'cert.pem'), join(scratch, 'client.crt'))
    copyFileSync(join(remote.certs, 'key.pem'), join(scratch, 'client.key'))
  }, 300_000)

  afterAll(async () => {
    await remote?.[Symbol.asyncDispose]()
    if (scratch) rmSync(scratch, { recursive: true, force: true })
  })

  it('--tlsverify with --tlscacert, --tlscert and --tlskey of any names, and -H: up --build (BuildKit over TLS), exec, ps as v2 shows it, down', async ({
    skip,
  }) => {
    if (!remote) return skip(unavailable)
    const flags = [
      '-H',
      remote.url,
      '--tlsverify',
      '--tlscacert',
      join(scratch, 'engine-ca.crt'),
      '--tlscert',
      join(scratch, 'client.crt'),
      '--tlskey',
      join(scratch, 'client.key'),
    ]
    const env = { ...CLEAN, XDG_CACHE_HOME: join(scratch, 'cache') }
    const project = uniqueProjectName('tls-flags')
    const cli = (...args: string[]) => runCli([...flags, ...ECHO, '-p', project, ...args], { env, timeoutMs: 240_000 })
    try {
      const up = await cli('up', '-d', '--build', '--wait')
      expect(up.code, up.stderr).toBe(0)
      const exec = await cli('exec', '-T', 'echo-server', 'true')
      expect(exec.code, exec.stderr).toBe(0)
      const format = ['ps', '-a', '--format', '{{.Name}} {{.Service}} {{.Image}}']
      const ours = await cli(...format)
      const theirs = await reference([...flags, ...ECHO, '-p', project, ...format], env)
      expect(ours.code, ours.stderr).toBe(0)
      expect(theirs.code, theirs.stderr).toBe(0)
      expect(ours.stdout).toContain(`${project}-echo-server-1 echo-server server`)
      expect(ours.stdout).toBe(theirs.stdout)
    } finally {
      const down = await cli('down', '--rmi', 'local')
      expect(down.code, down.stderr).toBe(0)
    }
    expect(await leftOf(project, remote.docker)).toEqual([])
  }, 300_000)

  it('a Docker context with the engine’s TLS files (`docker context create --docker host=…,ca=…,cert=…,key=…`): --context reaches it, as v2 does', async ({
    skip,
  }) => {
    if (!remote?.certs) return skip(unavailable)
    // The context as the docker CLI stores it: its endpoint in meta/, its files in tls/, under the name's digest.
    const config = join(scratch, 'docker-config')
    const certs = remote.certs
    writeDockerContext(config, 'tls-engine', remote.url, {
      tls: Object.fromEntries(['ca.pem', 'cert.pem', 'key.pem'].map((f) => [f, readFileSync(join(certs, f))])),
    })
    const env = { ...CLEAN, DOCKER_CONFIG: config }
    const project = uniqueProjectName('tls-context')
    const args = ['--context', 'tls-engine', '-f', resolve('fixtures/echo/docker-compose.yml'), '-p', project]
    const ours = await runCli([...args, 'ps', '-a'], { env, timeoutMs: 60_000 })
    const theirs = await reference([...args, 'ps', '-a'], env)
    expect(ours.code, ours.stderr).toBe(0)
    expect(theirs.code, theirs.stderr).toBe(0)
    expect(ours.stdout).toBe(theirs.stdout)
    expect(ours.stdout).toMatch(/^NAME +IMAGE +COMMAND +SERVICE +CREATED +STATUS +PORTS\n$/)
  }, 120_000)

  it('reached without its TLS files, or checked against a CA that did not sign it, the engine is said not to answer, and why; v2 fails too', async ({
    skip,
  }) => {
    if (!remote?.certs) return skip(unavailable)
    const plain = { ...CLEAN, DOCKER_HOST: remote.url }
    const ours = await runCli(['-p', 'tls-plain', 'ps'], { env: plain, timeoutMs: 60_000 })
    expect(ours.code).toBe(1)
    // Port 2376 is TLS's, so the engine's client tries TLS there, and cannot check the engine with no CA.
    expect(ours.stderr).toContain(
      `no Docker engine answers at ${remote.url} (DOCKER_HOST: unable to verify the first certificate)`,
    )
    expect((await reference(['-p', 'tls-plain', 'ps'], plain)).code).not.toBe(0)

    // The client's own files, but another CA to check the engine against.
    const other = join(scratch, 'other-ca')
    rmSync(other, { recursive: true, force: true })
    mkdirSync(other)
    writeEngineCertificates(other, remote.address)
    copyFileSync(join(remote.certs, 'cert.pem'), join(other, 'client', 'cert.pem'))
    copyFileSync(join(remote.certs, 'key.pem'), join(other, 'client', 'key.pem'))
    const stranger = {
      ...CLEAN,
      DOCKER_HOST: remote.url,
      DOCKER_TLS_VERIFY: '1',
      DOCKER_CERT_PATH: join(other, 'client'),
    }
    const refused = await runCli(['-p', 'tls-stranger', 'ps'], { env: stranger, timeoutMs: 60_000 })
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(
      new RegExp(`no Docker engine answers at ${remote.url} \\(DOCKER_HOST: [^)]*certificate`),
    )
    expect((await reference(['-p', 'tls-stranger', 'ps'], stranger)).code).not.toBe(0)
  }, 120_000)
})
