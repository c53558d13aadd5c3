import { describe, expect, it } from 'vitest'
import { refuseUnapplied } from '../../../harness/runtime/create/applied-keys.js'
import {
  builderNotice,
  builderOptions,
  chooseBuilder,
  classicRefusal,
  syntaxDirective,
} from '../../../harness/runtime/images/build-images.js'
import { multiPlatformBuilds } from '../../../harness/runtime/images/build-control.js'
import { humanSize } from '../../../harness/runtime/images/classic-output.js'
import { buildSecrets } from '../../../harness/runtime/images/build-secrets.js'
import { secretRequestId, secretResponse } from '../../../harness/runtime/images/build-session.js'
import { lengthDelimited } from '../../../harness/runtime/images/protobuf-wire.js'
import { loadInline } from '../support/load-inline.js'

describe('a build’s long syntax', () => {
  it('goes to the engine’s build API as it takes them: lists and maps as JSON, extra hosts as host:ip', () => {
    const loaded = loadInline(`services:
  app:
    build:
      context: .
      labels: {team: core}
      cache_from: [app:cache]
      network: host
      shm_size: 64m
      no_cache: true
      extra_hosts: ["db:10.0.0.2", "db=10.0.0.3"]
      ulimits: {nofile: 1024}
      platforms: [linux/amd64]
`)
    expect(builderOptions(loaded.project.services.app!.build!.settings)).toEqual({
      labels: { team: 'core' },
      cachefrom: '["app:cache"]',
      networkmode: 'host',
      shmsize: 64 * 1024 ** 2,
      nocache: true,
      platform: 'linux/amd64',
      extrahosts: 'db:10.0.0.2,db:10.0.0.3',
      ulimits: '[{"Name":"nofile","Soft":1024,"Hard":1024}]',
    })
    // The classic builder is given no caches, shared memory size, ulimits nor platform, as Compose v2 gives it none.
    expect(builderOptions(loaded.project.services.app!.build!.settings, 'classic')).toEqual({
      labels: { team: 'core' },
      networkmode: 'host',
      nocache: true,
      extrahosts: 'db:10.0.0.2,db:10.0.0.3',
    })
    expect(() => refuseUnapplied(loaded)).not.toThrow()
  })

  it('refuses to the classic builder, in Compose v2’s words and order, what it cannot build', () => {
    const build = (keys: string) =>
      loadInline(`services:\n  app:\n    build:\n      context: .\n${keys}`).project.services.app!.build!
    const words = (what: string) => `the classic builder doesn't support ${what}, set DOCKER_BUILDKIT=1 to use BuildKit`
    expect(
      classicRefusal(build('      platforms: [linux/amd64, linux/arm64]\n      privileged: true\n'), true, true),
    ).toBe(words('multi-arch build'))
    expect(classicRefusal(build('      privileged: true\n'), true, true)).toBe(words('privileged mode'))
    expect(classicRefusal(build('      additional_contexts: {a: .}\n'), true, true)).toBe(words('additional contexts'))
    expect(classicRefusal(build('      shm_size: 1m\n'), true, true)).toBe(words('SSH keys'))
    expect(classicRefusal(build('      shm_size: 1m\n'), false, true)).toBe(words('secrets'))
    expect(
      classicRefusal(build('      entitlements: [network.host]\n      cache_to: [type=inline]\n'), false, false),
    ).toBeUndefined()
  })

  it('serves what BuildKit asks the client for, several platforms left to the build (which refuses them as v2 does)', () => {
    const loaded = loadInline(`services:
  app:
    build:
      context: .
      ssh: [default]
      additional_contexts:
        base: ../base
      entitlements: [network.host]
      privileged: true
      cache_to: [type=inline]
      platforms: [linux/amd64, linux/arm64]
`)
    expect(() => refuseUnapplied(loaded)).not.toThrow()
    const app = loaded.project.services.app!
    expect(multiPlatformBuilds([app])).toEqual([app])
    const one = loadInline('services:\n  app:\n    build:\n      context: .\n      platforms: [linux/amd64]\n')
    expect(multiPlatformBuilds(Object.values(one.project.services))).toEqual([])
  })

  it('checks the shape of what it applies', () => {
    expect(() => loadInline('services:\n  app:\n    build:\n      context: .\n      no_cache: maybe\n')).toThrow(
      /services\.app\.build\.no_cache: expected true or false/,
    )
    expect(() => loadInline('services:\n  app:\n    build:\n      context: .\n      provenance: [1]\n')).toThrow(
      /services\.app\.build\.provenance: expected a string, got a list/,
    )
    const attested = loadInline('services:\n  app:\n    build:\n      context: .\n      sbom: true\n')
    expect(attested.project.services.app!.build!.options.sbom).toBe('true')
  })

  it('lets develop through (up leaves it to watch, as Compose does without --watch)', () => {
    const loaded = loadInline(
      'services:\n  app:\n    build: .\n    develop:\n      watch:\n        - {path: ./src, action: rebuild}\n',
    )
    expect(() => refuseUnapplied(loaded)).not.toThrow()
  })
})

describe('the builder', () => {
  it('is BuildKit, as Compose v2 builds, unless DOCKER_BUILDKIT says false or the engine has none', () => {
    expect(chooseBuilder({}, true)).toBe('buildkit')
    expect(chooseBuilder({ DOCKER_BUILDKIT: '1' }, true)).toBe('buildkit')
    for (const no of ['0', 'false', 'FALSE', 'f', ' 0 '])
      expect(chooseBuilder({ DOCKER_BUILDKIT: no }, true)).toBe('classic')
    expect(chooseBuilder({}, false)).toBe('classic')
    expect(chooseBuilder({ DOCKER_BUILDKIT: '1' }, false)).toBe('classic')
    // Said once a run where the engine decides, not where DOCKER_BUILDKIT=0 asked.
    expect(builderNotice({}, false)).toMatch(/^this engine has no BuildKit .*classic builder/)
    expect(builderNotice({ DOCKER_BUILDKIT: '0' }, false)).toBeUndefined()
    expect(builderNotice({}, true)).toBeUndefined()
  })

  it("reads the frontend a Dockerfile's `# syntax=` directive names, only before its first instruction", () => {
    expect(syntaxDirective('# syntax=docker/dockerfile:1.7\nFROM debian\n')).toBe('docker/dockerfile:1.7')
    expect(syntaxDirective('\n#  syntax = example/frontend:2 \n# a comment\nFROM x\n')).toBe('example/frontend:2')
    expect(syntaxDirective('FROM debian\n# syntax=docker/dockerfile:1.7\n')).toBeUndefined()
    expect(syntaxDirective('FROM debian\n')).toBeUndefined()
  })

  it('gives each build secret BuildKit asks for by its id: the name, or the long form’s target', () => {
    const { project } = loadInline(
      `services:
  app:
    build:
      context: .
      secrets: [token, {source: key, target: api}]
secrets:
  token: {file: ./token.txt}
  key: {environment: KEY}
`,
      { env: { KEY: 'k-1' } },
    )
    expect(buildSecrets(project.services.app!.build!, project.secrets)).toEqual([
      { id: 'token', file: expect.stringMatching(/\/token\.txt$/) },
      { id: 'api', value: 'k-1' },
    ])
  })

  it('reads the id of a GetSecret request and writes its answer, in protobuf’s wire format', () => {
    const request = Buffer.concat([lengthDelimited(1, Buffer.from('token')), lengthDelimited(2, Buffer.from('x'))])
    expect(secretRequestId(request)).toBe('token')
    expect([...secretResponse(Buffer.from('abc'))]).toEqual([0x0a, 3, 0x61, 0x62, 0x63])
  })
})

describe('the classic builder’s upload line', () => {
  it('gives the context’s size as Docker’s units.HumanSize writes it', () => {
    expect([humanSize(228), humanSize(2048), humanSize(10_240), humanSize(999_999), humanSize(1_000_000)]).toEqual([
      '228B',
      '2.048kB',
      '10.24kB',
      '1000kB',
      '1MB',
    ])
  })
})
