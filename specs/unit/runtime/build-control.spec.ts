import { describe, expect, it } from 'vitest'
import {
  cacheExports,
  cacheImportEntries,
  cacheImports,
  defaultAttestations,
  encodeSolveRequest,
  frontendAttrs,
} from '../../../harness/runtime/images/build-control.js'
import { namedContexts } from '../../../harness/runtime/images/build-contexts.js'
import { buildEntitlements, contextsFirst } from '../../../harness/runtime/images/build-images.js'
import { wireFields, wireText } from '../../../harness/runtime/images/protobuf-wire.js'
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
    expect(cacheExports(app.build!)).toEqual(['inline'])
    const registry = loadInline(
      'services:\n  app:\n    build:\n      context: .\n      cache_to: [example/app:cache]\n',
    )
    expect(() => cacheExports(registry.project.services.app!.build!)).toThrow(
      /cache_to "example\/app:cache": a registry cache export is not supported by the engine's own builder/,
    )
  })

  it('takes a cache from images, written as a reference or as type=registry, and leaves a local one to the session; refuses another kind with the way round', () => {
    expect(cacheImports(['example/app:cache', 'type=registry,ref=example/app:main', 'type=local,src=./cache'])).toEqual(
      ['example/app:cache', 'example/app:main'],
    )
    expect(() => cacheImports(['type=gha,scope=app'])).toThrow(
      /cache_from "type=gha,scope=app": compose-harness takes a cache from an image .* or a local directory .*for a gha cache, build the image with `docker compose build`/,
    )
    const local = [{ src: '/work/cache', digest: 'sha256:abc' }]
    expect(cacheImportEntries(['example/app:cache'], local)).toEqual([
      { type: 'registry', attrs: { ref: 'example/app:cache' } },
      { type: 'local', attrs: { src: '/work/cache', digest: 'sha256:abc' } },
    ])
    expect(JSON.parse(frontendAttrs(app.build!, 'Dockerfile', {}, local)['cache-imports']!)).toEqual([
      { Type: 'local', Attrs: { src: '/work/cache', digest: 'sha256:abc' } },
    ])
    const request = encodeSolveRequest('ref1', { ...SOLVE, cacheExports: [], localCaches: local })
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

  it('encodes the solve with the moby exporter, the session, the frontend and its attributes', () => {
    const request = encodeSolveRequest('ref1', {
      session: 'sess',
      frontendAttrs: { filename: 'Dockerfile' },
      tags: ['app:1', 'app:latest'],
      entitlements: ['network.host'],
      cacheExports: ['inline'],
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

  it('asks for buildx’s default provenance unless BUILDX_NO_DEFAULT_ATTESTATIONS is true', () => {
    expect(defaultAttestations({})).toEqual({ 'attest:provenance': 'mode=min,inline-only=true' })
    expect(defaultAttestations({ BUILDX_NO_DEFAULT_ATTESTATIONS: 'false' })).toEqual({
      'attest:provenance': 'mode=min,inline-only=true',
    })
    expect(defaultAttestations({ BUILDX_NO_DEFAULT_ATTESTATIONS: '1' })).toEqual({})
    expect(defaultAttestations({ BUILDX_NO_DEFAULT_ATTESTATIONS: 'true' })).toEqual({})
  })
})
