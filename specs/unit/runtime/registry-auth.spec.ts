import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { credentialsResponse } from '../../../harness/runtime/images/build-session.js'
import { registryOf } from '../../../harness/runtime/images/image-reference.js'
import {
  allRegistryAuths,
  authKey,
  fromAuths,
  fromHelperAnswer,
  helperFor,
  imageAuth,
  listedKeys,
  registryAuth,
} from '../../../harness/runtime/images/registry-auth.js'
import { wireFields, wireText } from '../../../harness/runtime/images/protobuf-wire.js'

const basic = (user: string, password: string) => Buffer.from(`${user}:${password}`).toString('base64')

describe('where a registry and its credentials are found, as the docker CLI finds them', () => {
  it('reads the registry of an image reference: a first part with a dot, a colon or localhost, else Docker Hub', () => {
    expect(registryOf('127.0.0.1:5000/team/app:1')).toBe('127.0.0.1:5000')
    expect(registryOf('registry.example/app')).toBe('registry.example')
    expect(registryOf('localhost/app')).toBe('localhost')
    expect(registryOf('team/app:1')).toBe('docker.io')
    expect(registryOf('app')).toBe('docker.io')
    expect(registryOf('localhost')).toBe('docker.io')
  })

  it("keys Docker Hub by its URL and any other registry by its host, and picks a registry's helper over the store", () => {
    expect(authKey('docker.io')).toBe('https://index.docker.io/v1/')
    expect(authKey('registry-1.docker.io')).toBe('https://index.docker.io/v1/')
    expect(authKey('127.0.0.1:5000')).toBe('127.0.0.1:5000')
    const config = { credsStore: 'pass', credHelpers: { 'gcr.example': 'gcloud' } }
    expect(helperFor(config, 'gcr.example')).toBe('gcloud')
    expect(helperFor(config, 'other.example')).toBe('pass')
    expect(helperFor({ auths: {} }, 'other.example')).toBeUndefined()
  })

  it("reads the config's auths: `auth` decoded (a colon in the password kept), the fields, an identity token, an older URL key", () => {
    const config = {
      auths: {
        'a.example': { auth: basic('ann', 'p:w') },
        'b.example': { username: 'bob', password: 'pw' },
        'c.example': { identitytoken: 'tok' },
        'https://d.example/v1/': { auth: basic('dan', 'x') },
        'e.example': {},
      },
    }
    expect(fromAuths(config, 'a.example')).toEqual({ serveraddress: 'a.example', username: 'ann', password: 'p:w' })
    expect(fromAuths(config, 'b.example')).toEqual({ serveraddress: 'b.example', username: 'bob', password: 'pw' })
    expect(fromAuths(config, 'c.example')).toEqual({ serveraddress: 'c.example', identitytoken: 'tok' })
    expect(fromAuths(config, 'd.example')).toEqual({ serveraddress: 'd.example', username: 'dan', password: 'x' })
    expect(fromAuths(config, 'e.example')).toBeUndefined()
    expect(fromAuths(config, 'f.example')).toBeUndefined()
  })

  it("reads a helper's answer: a user and a secret, `<token>` as an identity token, nothing without a secret", () => {
    expect(fromHelperAnswer('h', '{"ServerURL":"h","Username":"u","Secret":"s"}')).toEqual({
      serveraddress: 'h',
      username: 'u',
      password: 's',
    })
    expect(fromHelperAnswer('h', '{"Username":"<token>","Secret":"t"}')).toEqual({
      serveraddress: 'h',
      identitytoken: 't',
    })
    expect(fromHelperAnswer('h', '{"Username":"u"}')).toBeUndefined()
    expect(fromHelperAnswer('h', 'not json')).toBeUndefined()
  })

  it("answers BuildKit's Credentials with the user and the secret, an identity token as the secret alone, or nothing", () => {
    const fields = (b: Buffer) => Object.fromEntries([...wireFields(b)].map((f) => [f.number, wireText(f.bytes)]))
    expect(fields(credentialsResponse({ serveraddress: 'h', username: 'u', password: 's' }))).toEqual({
      1: 'u',
      2: 's',
    })
    expect(fields(credentialsResponse({ serveraddress: 'h', identitytoken: 't' }))).toEqual({ 2: 't' })
    expect(credentialsResponse(undefined)).toHaveLength(0)
  })
})

describe('registryAuth, with a docker config and a credential helper on disk', () => {
  const dir = mkdtempSync(join(tmpdir(), 'registry-auth-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  // A credential helper as the protocol has it: the server on stdin, JSON on stdout, "not found" as a failure.
  const helper = join(dir, 'docker-credential-spec')
  writeFileSync(
    helper,
    `#!/bin/sh
if [ "$1" = list ]; then echo '{"held.example":"helper-user"}'; exit 0; fi
read server
case "$server" in
  held.example) echo '{"ServerURL":"held.example","Username":"helper-user","Secret":"helper-secret"}' ;;
  *) echo 'credentials not found in native keychain'; exit 1 ;;
esac
`,
  )
  chmodSync(helper, 0o755)
  const env = (config: unknown): NodeJS.ProcessEnv => {
    const configDir = mkdtempSync(join(dir, 'config-'))
    writeFileSync(join(configDir, 'config.json'), JSON.stringify(config))
    return { ...process.env, DOCKER_CONFIG: configDir, PATH: `${dir}${delimiter}${process.env.PATH}` }
  }

  it('asks the helper the config names, and sends nothing where it holds nothing, as the CLI does', async () => {
    const e = env({ credsStore: 'spec', auths: { 'held.example': { auth: basic('file', 'ignored') } } })
    expect(await imageAuth('held.example/app:1', e)).toEqual({
      serveraddress: 'held.example',
      username: 'helper-user',
      password: 'helper-secret',
    })
    expect(await registryAuth('other.example', e)).toBeUndefined()
  })

  it("reads the file's auths without a helper; none with a helper that is missing or a config that cannot be read", async () => {
    expect(await registryAuth('a.example', env({ auths: { 'a.example': { auth: basic('ann', 'pw') } } }))).toEqual({
      serveraddress: 'a.example',
      username: 'ann',
      password: 'pw',
    })
    expect(await registryAuth('a.example', env({ credsStore: 'missing' }))).toBeUndefined()
    const broken = mkdtempSync(join(dir, 'broken-'))
    writeFileSync(join(broken, 'config.json'), '{')
    expect(await registryAuth('a.example', { ...process.env, DOCKER_CONFIG: broken })).toBeUndefined()
  })

  it("gathers every registry's credentials for the classic builder: the store's list, else the file's auths, then each registry's helper", async () => {
    const file = { auths: { 'a.example': { auth: basic('ann', 'pw') }, 'empty.example': {} } }
    expect(await allRegistryAuths(env(file))).toEqual({
      'a.example': { serveraddress: 'a.example', username: 'ann', password: 'pw' },
    })
    const helperCreds = { serveraddress: 'held.example', username: 'helper-user', password: 'helper-secret' }
    // With a store, the file's own entries are not the CLI's: only what the store lists.
    expect(await allRegistryAuths(env({ ...file, credsStore: 'spec' }))).toEqual({ 'held.example': helperCreds })
    // A registry's own helper is asked for it; one that answers nothing is left out.
    expect(
      await allRegistryAuths(env({ ...file, credHelpers: { 'held.example': 'spec', 'gone.example': 'spec' } })),
    ).toEqual({
      'a.example': { serveraddress: 'a.example', username: 'ann', password: 'pw' },
      'held.example': helperCreds,
    })
    await expect(allRegistryAuths(env({ credsStore: 'missing' }))).rejects.toThrow(
      'the credential helper docker-credential-missing (credsStore) could not list its registries',
    )
    expect(await allRegistryAuths({ ...process.env, DOCKER_CONFIG: join(dir, 'nowhere') })).toEqual({})
  })

  it("reads a helper's list: an object's keys, nothing else", () => {
    expect(listedKeys('{"r.example":"u","https://index.docker.io/v1/":"v"}')).toEqual([
      'r.example',
      'https://index.docker.io/v1/',
    ])
    expect(listedKeys('["r.example"]')).toBeUndefined()
    expect(listedKeys('null')).toBeUndefined()
    expect(listedKeys('not json')).toBeUndefined()
    expect(listedKeys(undefined)).toBeUndefined()
  })
})
