import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  artifactLayers,
  artifactManifest,
  bindMountsShown,
  imageDigestsOverride,
  publishedVariables,
  unpublishable,
} from '../../../harness/runtime/images/compose-artifact.js'
import { artifactTarget } from '../../../harness/runtime/images/oci-registry.js'
import { loadInline } from '../support/load-inline.js'

// The differential against Compose v2, through a real registry, is
// specs/containers/conformance/publish.spec.ts; these pin the rules down one by one.
const sha = (text: string) => createHash('sha256').update(text).digest('hex')

const COMPOSE = `services:
  web:
    image: app
    env_file:
      - "./one.env"   # a comment, replaced with the value, as Compose v2 replaces it
      - path: two.env
        required: false
    extends: {file: base.yml, service: base}
  other:
    image: app
    extends:
      file: "/abs/base.yml"
      service: base
`
const files: Record<string, string> = {
  '/project/base.yml': 'services:\n  base:\n    extends:\n      file: deeper.yml\n      service: x\n',
  '/project/deeper.yml': 'services:\n  x:\n    image: deep\n',
  '/abs/base.yml': 'services:\n  base:\n    image: abs\n',
  '/project/one.env': 'A=1\n',
  '/project/two.env': 'B=2\n',
}
const layersOf = (withEnv: boolean) =>
  artifactLayers({
    files: [{ path: '/project/compose.yml', text: COMPOSE }],
    projectDirectory: '/project',
    readText: (path) => files[path],
    withEnv,
    version: '9.9.9',
  })

describe("a published project's layers", () => {
  it('names each env file and extends file by the hash of its absolute path, the rest of the file as written', () => {
    const [compose] = layersOf(false)
    const text = compose!.data.toString()
    expect(text).toContain(
      `      - ${sha('/project/one.env')}.env\n      - path: ${sha('/project/two.env')}.env\n        required: false\n`,
    )
    expect(text).toContain(`      file: ${sha('/abs/base.yml')}.yaml\n`)
    expect(text).toContain(`extends: {file: ${sha('/project/base.yml')}.yaml\n`)
    expect(text.startsWith('services:\n  web:\n    image: app\n')).toBe(true)
    expect(compose!.annotations).toEqual({
      'com.docker.compose.version': '9.9.9',
      'com.docker.compose.file': 'compose.yml',
    })
  })

  it('adds each file extends names, and those they name in turn, marked; the env files only with --with-env', () => {
    const kinds = (withEnv: boolean) =>
      layersOf(withEnv).map((l) => [
        l.mediaType.split('.').pop(),
        l.annotations?.['com.docker.compose.file'] ?? l.annotations?.['com.docker.compose.envfile'],
      ])
    expect(kinds(false)).toEqual([
      ['file+yaml', 'compose.yml'],
      ['file+yaml', `${sha('/project/base.yml')}.yaml`],
      ['file+yaml', `${sha('/abs/base.yml')}.yaml`],
      ['file+yaml', `${sha('/project/deeper.yml')}.yaml`],
    ])
    expect(kinds(true).slice(4)).toEqual([
      ['envfile', `${sha('/project/one.env')}.env`],
      ['envfile', `${sha('/project/two.env')}.env`],
    ])
    expect(layersOf(false)[1]!.annotations?.['com.docker.compose.extends']).toBe('true')
  })

  it('describes each layer by the digest and size of its bytes', () => {
    for (const layer of layersOf(true)) {
      expect(layer.digest).toBe(`sha256:${createHash('sha256').update(layer.data).digest('hex')}`)
      expect(layer.size).toBe(layer.data.length)
    }
  })
})

describe("a published project's manifest", () => {
  const at = new Date('2026-01-02T03:04:05.678Z')
  it('is OCI 1.1 with the artifact type over an empty config, or 1.0 with Compose’s own config type, as Go writes it', () => {
    const layers = layersOf(false).slice(0, 1)
    const v11 = JSON.parse(artifactManifest(layers, '1.1', at).manifest.toString()) as Record<string, unknown>
    expect(v11).toMatchObject({
      schemaVersion: 2,
      artifactType: 'application/vnd.docker.compose.project',
      config: { mediaType: 'application/vnd.oci.empty.v1+json', size: 2, data: 'e30=' },
      annotations: { 'org.opencontainers.image.created': '2026-01-02T03:04:05Z' },
    })
    expect(Object.keys(v11)).toEqual(['schemaVersion', 'mediaType', 'artifactType', 'config', 'layers', 'annotations'])
    const v10 = JSON.parse(artifactManifest(layers, '1.0', at).manifest.toString()) as Record<string, unknown>
    expect(v10.artifactType).toBeUndefined()
    expect((v10.config as { mediaType: string }).mediaType).toBe('application/vnd.docker.compose.config.empty.v1+json')
    expect(artifactManifest(layers, '1.1', at).manifest.toString()).not.toContain(' ')
  })
})

describe('what publish refuses and asks about', () => {
  const { project } = loadInline(`services:
  built:
    build: .
  web:
    image: app
    volumes: ["/data:/data:ro,z"]
    environment: {B: "2", A: "1"}
`)
  it('refuses a service that only builds, and lists bind mounts and variables as Compose v2 words them', () => {
    expect(unpublishable(project)).toBe(
      'your Compose stack cannot be published as it only contains a build section for service(s):\n- "built"\n',
    )
    expect(bindMountsShown(project)).toBe('web/data:/data:ro,z\n')
    expect(publishedVariables(project)).toEqual([
      { name: 'web', entries: ['B=2', 'A=1'], why: ['service "web" has environment variable(s) declared.'] },
    ])
  })

  it('pins images in an override file, by service', () => {
    expect(
      imageDigestsOverride(
        new Map([
          ['web', 'r/app:1@sha256:ab'],
          ['db', 'r/db:1@sha256:cd'],
        ]),
      ),
    ).toBe('services:\n  db:\n    image: r/db:1@sha256:cd\n  web:\n    image: r/app:1@sha256:ab\n')
  })
})

describe('where an artifact goes', () => {
  it.each([
    ['localhost:5000/team/app:1', { registry: 'localhost:5000', repository: 'team/app', tag: '1' }],
    ['registry.example/app', { registry: 'registry.example', repository: 'app', tag: 'latest' }],
    ['team/app:2', { registry: 'docker.io', repository: 'team/app', tag: '2' }],
    ['app', { registry: 'docker.io', repository: 'library/app', tag: 'latest' }],
    ['docker.io/app:3', { registry: 'docker.io', repository: 'library/app', tag: '3' }],
    ['docker.io/team/app', { registry: 'docker.io', repository: 'team/app', tag: 'latest' }],
  ])('%s', (reference, target) => {
    expect(artifactTarget(reference)).toEqual(target)
  })
})
