import { describe, expect, it } from 'vitest'
import {
  artifactFiles,
  ociRemoteEnabled,
  projectManifestOf,
  remoteCacheDirectory,
  RemoteFileError,
} from '../../../harness/runtime/images/artifact-files.js'
import { artifactLayers, artifactManifest } from '../../../harness/runtime/images/compose-artifact.js'
import { isRemoteFile } from '../../../harness/model/merge/remote-reference.js'

// Reading back what `publish` makes; the differential against Compose v2, through a real registry,
// is specs/containers/conformance/publish.spec.ts.
const files: Record<string, string> = {
  '/p/compose.yml':
    'services:\n  web:\n    image: app\n    env_file: ./app.env\n    extends: {file: base.yml, service: base}\n',
  '/p/second.yml': 'services:\n  web:\n    environment: [B=2]\n',
  '/p/base.yml': 'services:\n  base:\n    command: ["sleep", "1"]\n',
  '/p/app.env': 'A=1\n',
}
const published = (version: '1.0' | '1.1') => {
  const layers = artifactLayers({
    files: ['/p/compose.yml', '/p/second.yml'].map((path) => ({ path, text: files[path]! })),
    projectDirectory: '/p',
    readText: (path) => files[path],
    withEnv: true,
    version: '0.1.0',
  })
  return JSON.parse(artifactManifest(layers, version, new Date(0)).manifest.toString()) as unknown
}

describe('a project read back from its artifact', () => {
  it('puts the compose files in compose.yaml (each after the first behind ---), the extended file and the env file under their own names', () => {
    for (const version of ['1.0', '1.1'] as const) {
      const laid = artifactFiles(published(version), 'r/app:1').map((f) => ({
        name: f.name,
        separated: f.separated,
        text: Buffer.from(f.layer.data!, 'base64').toString(),
      }))
      expect(
        laid.map((f) => [f.name.replace(/^[0-9a-f]{64}/, 'HASH'), f.separated]),
        version,
      ).toEqual([
        ['compose.yaml', false],
        ['compose.yaml', true],
        ['HASH.yaml', true],
        ['HASH.env', false],
      ])
      expect(laid[0]!.text).toContain(`env_file: ${laid[3]!.name}`)
      expect(laid[0]!.text).toContain(`file: ${laid[2]!.name}`)
      expect(laid[2]!.text).toBe(files['/p/base.yml'])
    }
  })

  it('refuses what is no compose project, and names that leave the copy’s directory', () => {
    expect(() =>
      artifactFiles({ config: { mediaType: 'application/vnd.oci.image.config.v1+json' } }, 'r/img:1'),
    ).toThrow(
      new RemoteFileError(
        'r/img:1 is not a compose project OCI artifact, but application/vnd.oci.image.config.v1+json',
      ),
    )
    expect(() => artifactFiles({ artifactType: 'application/vnd.example' }, 'r/x:1')).toThrow(
      /r\/x:1 is not a compose project OCI artifact, but application\/vnd\.example/,
    )
    const escaping = {
      artifactType: 'application/vnd.docker.compose.project',
      layers: [
        {
          mediaType: 'application/vnd.docker.compose.envfile',
          digest: 'sha256:0',
          size: 0,
          annotations: { 'com.docker.compose.envfile': '../../.bashrc' },
        },
      ],
    }
    expect(() => artifactFiles(escaping, 'r/x:1')).toThrow(
      /invalid OCI artifact r\/x:1: a layer names the file "..\/..\/.bashrc"/,
    )
    const unnamed = { ...escaping, layers: [{ ...escaping.layers[0]!, annotations: {} }] }
    expect(() => artifactFiles(unnamed, 'r/x:1')).toThrow(/missing annotation com\.docker\.compose\.envfile/)
  })

  it('takes the project an index lists, the last one where several are', () => {
    const entry = (digest: string, artifactType?: string) => ({
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest,
      size: 1,
      ...(artifactType && { artifactType }),
    })
    const index = {
      manifests: [
        entry('sha256:a', 'application/vnd.docker.compose.project'),
        entry('sha256:b'),
        entry('sha256:c', 'application/vnd.docker.compose.project'),
      ],
    }
    expect(projectManifestOf(index, 'r/app:1').digest).toBe('sha256:c')
    expect(() => projectManifestOf({ manifests: [entry('sha256:b')] }, 'r/app:1')).toThrow(
      "OCI index r/app:1 doesn't refer to compose artifacts",
    )
  })

  it('is kept where Compose v2 keeps it, read unless COMPOSE_EXPERIMENTAL_OCI_REMOTE says false', () => {
    expect(remoteCacheDirectory({ XDG_CACHE_HOME: '/c' }, '/home/u')).toBe('/c/docker-compose')
    expect(remoteCacheDirectory({}, '/home/u')).toBe('/home/u/.cache/docker-compose')
    expect([undefined, '', '1', 'true', 'T'].map(ociRemoteEnabled)).toEqual([true, true, true, true, true])
    expect(['0', 'false', 'F'].map(ociRemoteEnabled)).toEqual([false, false, false])
    expect(() => ociRemoteEnabled('yes')).toThrow(/expects boolean value/)
    expect([isRemoteFile('oci://r/app:1'), isRemoteFile('./oci/compose.yml')]).toEqual([true, false])
  })
})
