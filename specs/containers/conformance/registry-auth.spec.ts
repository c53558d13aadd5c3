import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { referenceCompose, runReference } from '../../../harness/conformance/reference-compose.js'
import { connectEngine } from '../../../harness/runtime/engine/engine.js'
import { runCli } from '../../support/cli.js'
import { REGISTRY_USER, startRegistry, type Registry } from '../support/registry.js'
import { uniqueProjectName } from '../support/test-projects.js'

// A registry that asks for credentials (Debian's docker-registry with an htpasswd file), used by
// both tools with the docker CLI's config as a user has it: nothing, the config's own `auths`, or
// a credential helper (`credsStore`).

/** A service whose build starts FROM the registry's image (BuildKit asks the build session for the credentials), and one that only pulls. */
const COMPOSE = `services:
  app:
    build: {context: ., args: {BASE: "\${REGISTRY}/\${REPO}/probe:1"}}
    image: \${REGISTRY}/\${REPO}/app:1
  probe:
    image: \${REGISTRY}/\${REPO}/probe:1
`

/** A credential helper as its protocol has it: the registry on stdin, JSON on stdout; "not found" for any other; `list`, what it holds. */
const helper = (registry: string) => `#!/bin/sh
if [ "$1" = list ]; then echo '{"${registry}":"${REGISTRY_USER.username}"}'; exit 0; fi
read server
if [ "$server" = "${registry}" ]; then
  echo '{"ServerURL":"${registry}","Username":"${REGISTRY_USER.username}","Secret":"${REGISTRY_USER.password}"}'
else
  echo 'credentials not found in native keychain'; exit 1
fi
`

type Run = (args: readonly string[]) => Promise<{ code: number; stdout: string; stderr: string }>

describe.skipIf(!inject('engineReady'))('a registry that asks for credentials, against Compose v2', () => {
  let registry: Registry
  const dir = mkdtempSync(join(tmpdir(), 'conf-registry-auth-'))
  writeFileSync(join(dir, 'Dockerfile'), 'ARG BASE\nFROM ${BASE}\nRUN echo built > /built\n')
  writeFileSync(join(dir, 'compose.yml'), COMPOSE)

  beforeAll(async () => {
    registry = await startRegistry({ withAuth: true })
  }, 600_000)

  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true })
    await registry?.[Symbol.asyncDispose]()
  })

  /** A DOCKER_CONFIG directory holding `config`; with `helpers`, a directory for PATH holding docker-credential-spec. */
  const dockerConfig = (name: string, config: unknown): NodeJS.ProcessEnv => {
    const at = join(dir, name)
    mkdirSync(at)
    writeFileSync(join(at, 'config.json'), JSON.stringify(config))
    writeFileSync(join(at, 'docker-credential-spec'), helper(registry.address))
    chmodSync(join(at, 'docker-credential-spec'), 0o755)
    return { DOCKER_CONFIG: at, PATH: `${at}${delimiter}${process.env.PATH}` }
  }

  it('pull, build FROM its image (BuildKit and the classic builder) and push: refused by both without credentials, done by both with the auths of the config or a credential helper', async () => {
    const docker = (await connectEngine()).container.dockerode
    const base = uniqueProjectName('conf-auth')
    const configs = {
      none: dockerConfig('none', {}),
      auths: dockerConfig('auths', {
        auths: {
          [registry.address]: {
            auth: Buffer.from(`${REGISTRY_USER.username}:${REGISTRY_USER.password}`).toString('base64'),
          },
        },
      }),
      helper: dockerConfig('helper', { credsStore: 'spec' }),
    }
    const tools = ['h', 'r'] as const
    const repo = (tool: string) => `ch/${base}-${tool}`
    type Config = keyof typeof configs
    const run = (tool: (typeof tools)[number], config: Config, extra: NodeJS.ProcessEnv = {}): Run => {
      const env = { ...process.env, ...configs[config], REGISTRY: registry.address, REPO: repo(tool), ...extra }
      const args = (a: readonly string[]) => ['-p', `${base}-${tool}`, '--project-directory', dir, ...a]
      return tool === 'h'
        ? (a) => runCli(args(a), { env, cwd: dir })
        : (a) => runReference(referenceCompose(), args(a), { env, cwd: dir })
    }
    const probe = (tool: string) => `${registry.address}/${repo(tool)}/probe:1`
    const both = async (config: Config, args: readonly string[], extra: NodeJS.ProcessEnv = {}) => {
      const [ours, theirs] = [await run('h', config, extra)(args), await run('r', config, extra)(args)]
      expect(ours.code, `${config}: ${args.join(' ')}: ${ours.stderr}\n${theirs.stderr}`).toBe(theirs.code)
      return { ours, theirs }
    }
    for (const tool of tools) {
      await registry.pushProbe(repo(tool))
      await docker.getImage(probe(tool)).remove()
    }

    const anonymous = await both('none', ['pull', 'probe'])
    expect(anonymous.theirs.code).not.toBe(0)
    expect(anonymous.ours.stderr).toMatch(/probe: image ".*probe:1" could not be pulled/)
    expect((await both('auths', ['pull', 'probe'])).theirs.code).toBe(0)
    for (const tool of tools) {
      expect((await docker.getImage(probe(tool)).inspect()).Id).toMatch(/^sha256:/)
      await docker.getImage(probe(tool)).remove()
    }

    // The base image is not on the engine: the build pulls it, with the credentials the session gives.
    expect((await both('none', ['build', 'app'])).theirs.code).not.toBe(0)
    const built = await both('helper', ['build', 'app'])
    expect(built.theirs.code, built.theirs.stderr).toBe(0)
    // The classic builder pulls the base image into the engine itself, with every registry's credentials the build sends.
    const classic = { DOCKER_BUILDKIT: '0' }
    for (const tool of tools)
      await docker
        .getImage(probe(tool))
        .remove()
        .catch(() => {})
    expect((await both('none', ['build', 'app'], classic)).theirs.code).not.toBe(0)
    expect((await both('helper', ['build', 'app'], classic)).theirs.code).toBe(0)
    for (const tool of tools) expect((await docker.getImage(probe(tool)).inspect()).Id).toMatch(/^sha256:/)
    expect((await both('none', ['push', 'app'])).theirs.code).not.toBe(0)
    expect((await both('helper', ['push', 'app'])).theirs.code).toBe(0)
    for (const tool of tools) expect(await registry.tags(`${repo(tool)}/app`), tool).toEqual(['1'])
  }, 600_000)
})
