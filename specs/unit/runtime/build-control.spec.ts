import { describe, expect, it } from 'vitest'
import {
  attestation,
  buildAttests,
  cacheExports,
  cacheImportEntries,
  cacheImports,
  defaultAttestations,
  encodeSolveRequest,
  exporterResponse,
  frontendAttrs,
  otherCacheImports,
  remoteCacheCaps,
} from '../../../harness/runtime/images/build-control.js'
import { namedContexts } from '../../../harness/runtime/images/build-contexts.js'
import { buildEntitlements, contextsFirst } from '../../../harness/runtime/images/build-images.js'
import { lengthDelimited, wireFields, wireText } from '../../../harness/runtime/images/protobuf-wire.js'
import { loadInline } from '../support/load-inline.js'

const loaded = loadInline(`services:
  base:
    build: ./base
    image: example/base:1
  app:
    build:
      context: ./app
      dockerfile: app.Dockerfile
      target: final
      args: {MODE: test}
      labels: {team: core}
      extra_hosts: ["db=10.0.0.2"]
      shm_size: 64m
      ulimits: {nofile: {soft: 1024, hard: 2048}}
      network: none
      no_cache: true
      pull: true
      additional_contexts:
        shared: ./shared
        base-image: service:base
        tools: docker-image://example/tools:2
        repo: https://example.invalid/repo.git
      entitlements: [network.host]
      privileged: true
      cache_to: [type=inline]
`)
const app = loaded.project.services.app!
const SOLVE = { session: 'sess', frontendAttrs: { filename: 'Dockerfile' }, tags: ['app:1'], entitlements: [] }

describe("a build through BuildKit's control API, as Compose v2 sends it", () => {
  it("gives additional_contexts as the Dockerfile frontend's named contexts: a directory served by the session, a service's image, the rest as written", () => {
    const contexts = namedContexts(app.build!, loaded.project)
    expect(contexts.attrs).toEqual({
      'context:shared': 'local:shared',
      'context:base-image': 'docker-image://example/base:1',
      'context:tools': 'docker-image://example/tools:2',
      'context:repo': 'https://example.invalid/repo.git',
    })
    expect([...contexts.dirs]).toEqual([['shared', expect.stringMatching(/\/shared$/)]])
    expect(contexts.services).toEqual(['base'])
    // The service whose image is a context is built first.
    expect(contextsFirst([app, loaded.project.services.base!], loaded.project).map((s) => s.name)).toEqual([
      'base',
      'app',
    ])
  })

  it("gives the build's settings as the frontend's attributes, as the engine's build API would", () => {
    expect(frontendAttrs(app.build!, 'app.Dockerfile', { 'context:shared': 'local:shared' })).toEqual({
      filename: 'app.Dockerfile',
      target: 'final',
      'build-arg:MODE': 'test',
      'label:team': 'core',
      'add-hosts': 'db=10.0.0.2',
      'shm-size': String(64 * 1024 * 1024),
      ulimit: 'nofile=1024:2048',
      'force-network-mode': 'none',
      'no-cache': '',
      'image-resolve-mode': 'pull',
      'context:shared': 'local:shared',
      'frontend.caps': 'moby.buildkit.frontend.contexts+forward',
    })
  })

  it('asks for the entitlements the file names, security.insecure for privileged; exports an inline cache, refuses another', () => {
    expect(buildEntitlements(app.build!)).toEqual(['network.host', 'security.insecure'])
    expect(cacheExports(app.build!)).toEqual([{ type: 'inline', attrs: {} }])
    const registry = loadInline(
      'services:\n  app:\n    build:\n      context: .\n      cache_to: [example/app:cache]\n',
    )
    expect(() => cacheExports(registry.project.services.app!.build!)).toThrow(
      /cache_to "example\/app:cache": a registry cache export is not supported by the engine's own builder/,
    )
  })

  it('exports every kind on containerd’s image store, as buildx hands them: a local directory from the current one, a registry, gha with the runtime’s token', () => {
    const caches = (...entries: string[]) =>
      loadInline(`services:\n  app:\n    build:\n      context: .\n      cache_to: ${JSON.stringify(entries)}\n`)
        .project.services.app!.build!
    const everything = caches(
      'type=local,dest=cache,mode=max',
      'type=registry,ref=example/app:cache',
      'type=gha,scope=app',
    )
    const env = { ACTIONS_RUNTIME_TOKEN: 'tok', ACTIONS_CACHE_URL: 'http://127.0.0.1:9/' }
    expect(cacheExports(everything, { containerdStore: true, env, cwd: '/work' })).toEqual([
      { type: 'local', attrs: { dest: '/work/cache', mode: 'max' } },
      { type: 'registry', attrs: { ref: 'example/app:cache' } },
      { type: 'gha', attrs: { token: 'tok', url: 'http://127.0.0.1:9/', scope: 'app' } },
    ])
    // gha without the runtime's token is left out before anything else, as buildx leaves it out: even where it would be refused.
    expect(cacheExports(caches('type=gha'), {})).toEqual([])
    expect(() => cacheExports(caches('type=gha'), { env })).toThrow(
      /a gha cache export is not supported by the engine's own builder/,
    )
    // Where the engine's BuildKit does not announce gha, buildx leaves it out.
    expect(cacheExports(caches('type=gha'), { containerdStore: true, env, caps: { gha: false, s3: true } })).toEqual([])
    expect(() => cacheExports(caches('type=local'), { containerdStore: true })).toThrow(/needs `dest`/)
    expect(() => cacheExports(caches('type=registry,mode=max'), { containerdStore: true })).toThrow(/needs `ref`/)
  })

  it('takes a cache from images, written as a reference or as type=registry, and leaves a local one to the session and the other kinds to otherCacheImports', () => {
    expect(
      cacheImports(['example/app:cache', 'type=registry,ref=example/app:main', 'type=local,src=./cache', 'type=gha']),
    ).toEqual(['example/app:cache', 'example/app:main'])
    const local = [{ src: '/work/cache', digest: 'sha256:abc' }]
    const others = [{ type: 'azblob', attrs: { name: 'app' } }]
    expect(cacheImportEntries(['example/app:cache'], local, others)).toEqual([
      { type: 'registry', attrs: { ref: 'example/app:cache' } },
      { type: 'local', attrs: { src: '/work/cache', digest: 'sha256:abc' } },
      { type: 'azblob', attrs: { name: 'app' } },
    ])
    const imports = cacheImportEntries([], local)
    expect(JSON.parse(frontendAttrs(app.build!, 'Dockerfile', {}, imports)['cache-imports']!)).toEqual([
      { Type: 'local', Attrs: { src: '/work/cache', digest: 'sha256:abc' } },
    ])
    const request = encodeSolveRequest('ref1', { ...SOLVE, cacheExports: [], cacheImports: imports })
    const cache = [...wireFields(request)].find((f) => f.number === 8)!
    const [entry] = [...wireFields(cache.bytes!)].filter((f) => f.number === 5)
    const fields = [...wireFields(entry!.bytes!)]
    expect(wireText(fields.find((f) => f.number === 1)?.bytes)).toBe('local')
    expect(
      fields.filter((f) => f.number === 2).map((f) => [...wireFields(f.bytes!)].map((e) => wireText(e.bytes))),
    ).toEqual([
      ['src', '/work/cache'],
      ['digest', 'sha256:abc'],
    ])
  })

  it('hands the other kinds of cache_from to BuildKit as buildx does: gha with the runtime’s token and URL or not at all, s3 with the environment’s keys, each only where BuildKit announces it', () => {
    const all = { gha: true, s3: true }
    const from = [
      'type=gha,scope=app',
      'type=s3,region=eu-west-1,bucket=b',
      'type=azblob,name=app',
      'type=local,src=x',
      'img:1',
    ]
    expect(otherCacheImports(from, all, {})).toEqual([
      { type: 's3', attrs: { region: 'eu-west-1', bucket: 'b' } },
      { type: 'azblob', attrs: { name: 'app' } },
    ])
    const github = {
      ACTIONS_RUNTIME_TOKEN: 'tok',
      ACTIONS_RESULTS_URL: 'http://127.0.0.1:9/r',
      ACTIONS_CACHE_SERVICE_V2: 'true',
    }
    const aws = { AWS_ACCESS_KEY_ID: 'id', AWS_SECRET_ACCESS_KEY: 'secret', AWS_SESSION_TOKEN: 'st' }
    expect(otherCacheImports(from, all, { ...github, ...aws }).slice(0, 2)).toEqual([
      {
        type: 'gha',
        attrs: { token: 'tok', url_v2: 'http://127.0.0.1:9/r', url: 'http://127.0.0.1:9/r', scope: 'app' },
      },
      {
        type: 's3',
        attrs: {
          access_key_id: 'id',
          secret_access_key: 'secret',
          session_token: 'st',
          region: 'eu-west-1',
          bucket: 'b',
        },
      },
    ])
    // The entry's own keys win; an entry with both keys takes no session token from the environment.
    expect(otherCacheImports(['type=s3,access_key_id=a,secret_access_key=b'], all, aws)).toEqual([
      { type: 's3', attrs: { access_key_id: 'a', secret_access_key: 'b' } },
    ])
    expect(otherCacheImports(from, { gha: false, s3: false }, { ...github, ...aws })).toEqual([
      { type: 'azblob', attrs: { name: 'app' } },
    ])
  })

  it('knows what the engine’s BuildKit announces by its API version', () => {
    expect(remoteCacheCaps('1.41')).toEqual({ gha: false, s3: false })
    expect(remoteCacheCaps('1.42')).toEqual({ gha: true, s3: false })
    expect(remoteCacheCaps('1.45')).toEqual({ gha: true, s3: true })
    expect(remoteCacheCaps('')).toEqual({ gha: false, s3: false })
  })

  it('reads the exporters’ answer of a solve', () => {
    const entry = (k: string, v: string) =>
      lengthDelimited(1, Buffer.concat([lengthDelimited(1, Buffer.from(k)), lengthDelimited(2, Buffer.from(v))]))
    expect(
      exporterResponse(Buffer.concat([entry('cache.manifest', '{"digest":"sha256:ab"}'), entry('image.name', 'app')])),
    ).toEqual({
      'cache.manifest': '{"digest":"sha256:ab"}',
      'image.name': 'app',
    })
  })

  it('encodes the solve with the moby exporter, the session, the frontend and its attributes', () => {
    const request = encodeSolveRequest('ref1', {
      session: 'sess',
      frontendAttrs: { filename: 'Dockerfile' },
      tags: ['app:1', 'app:latest'],
      entitlements: ['network.host'],
      cacheExports: [{ type: 'inline', attrs: {} }],
    })
    const fields = [...wireFields(request)]
    const text = (n: number) => fields.filter((f) => f.number === n).map((f) => wireText(f.bytes))
    const entries = (n: number) =>
      fields.filter((f) => f.number === n).map((f) => [...wireFields(f.bytes!)].map((e) => wireText(e.bytes)))
    expect(text(1)).toEqual(['ref1'])
    expect(text(3)).toEqual(['moby'])
    expect(entries(4)).toEqual([['name', 'app:1,app:latest']])
    expect(text(5)).toEqual(['sess'])
    expect(text(6)).toEqual(['dockerfile.v0'])
    expect(entries(7)).toEqual([['filename', 'Dockerfile']])
    expect(text(9)).toEqual(['network.host'])
    const [cache] = fields.filter((f) => f.number === 8)
    const [exported] = [...wireFields(cache!.bytes!)]
    expect([exported!.number, wireText([...wireFields(exported!.bytes!)][0]!.bytes)]).toEqual([4, 'inline'])
  })
})

describe('several platforms (on an engine with containerd’s image store)', () => {
  const several = loadInline(
    'services:\n  app:\n    build:\n      context: .\n      platforms: [linux/amd64, linux/arm64]\n',
  ).project.services.app!

  it('asks the frontend for every platform, as buildx does', () => {
    expect(frontendAttrs(several.build!, 'Dockerfile', {}).platform).toBe('linux/amd64,linux/arm64')
  })

  it('takes --provenance and --sbom as buildx does, the flags over the files’ keys (which only `build` reads), and asks for no default provenance where one is asked for', () => {
    expect(attestation('provenance', 'mode=max')).toBe('type=provenance,mode=max')
    expect(attestation('sbom', 'true')).toBe('type=sbom')
    expect(attestation('provenance', 'false')).toBe('')
    const files = { provenance: 'mode=max', sbom: 'true' }
    expect(buildAttests(files, {})).toEqual({})
    expect(buildAttests(files, { fromFiles: true })).toEqual({
      provenance: 'type=provenance,mode=max',
      sbom: 'type=sbom',
    })
    expect(buildAttests(files, { fromFiles: true, provenance: 'false', sbom: '' })).toEqual({
      provenance: '',
      sbom: 'type=sbom',
    })
    expect(defaultAttestations({}, { provenance: 'type=provenance,mode=max' })).toEqual({
      'attest:provenance': 'type=provenance,mode=max',
    })
    expect(defaultAttestations({}, { provenance: '' })).toEqual({})
    expect(defaultAttestations({}, { sbom: 'type=sbom' })).toEqual({
      'attest:provenance': 'mode=min,inline-only=true',
      'attest:sbom': 'type=sbom',
    })
  })

  it('asks for buildx’s default provenance unless BUILDX_NO_DEFAULT_ATTESTATIONS is true', () => {
    expect(defaultAttestations({})).toEqual({ 'attest:provenance': 'mode=min,inline-only=true' })
    expect(defaultAttestations({ BUILDX_NO_DEFAULT_ATTESTATIONS: 'false' })).toEqual({
      'attest:provenance': 'mode=min,inline-only=true',
    })
    expect(defaultAttestations({ BUILDX_NO_DEFAULT_ATTESTATIONS: '1' })).toEqual({})
    expect(defaultAttestations({ BUILDX_NO_DEFAULT_ATTESTATIONS: 'true' })).toEqual({})
  })
})
