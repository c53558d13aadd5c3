import { join } from 'node:path'
import { HarnessError } from '../../errors.js'
import { goBoolean } from '../../model/document/values.js'
import { ARTIFACT_TYPE, COMPOSE_FILE_TYPE, EMPTY_CONFIG_TYPE, ENV_FILE_TYPE } from './compose-artifact.js'
import type { Descriptor } from './oci-registry.js'

/** A compose file fetched from a registry could not be read: what was asked, and why. */
export class RemoteFileError extends HarnessError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'RemoteFileError'
  }
}

/** A layer of a published project, as its manifest describes it. */
export interface ArtifactLayer extends Descriptor {
  readonly annotations?: Readonly<Record<string, string>>
  /** The layer's bytes, base64, where the manifest carries them (OCI 1.1). */
  readonly data?: string
}

/** Where a layer's bytes go in the project's copy, and how. */
export interface ArtifactFile {
  readonly layer: ArtifactLayer
  /** The file's name in the copy's directory. */
  readonly name: string
  /** Written after what the file already has, behind a `---` line: another compose file of the project, as a document of its own. */
  readonly separated: boolean
}

/**
 * Pure: whether COMPOSE_EXPERIMENTAL_OCI_REMOTE lets `oci://` files be read: yes unless it says
 * false (as Go reads a boolean: 1, t, true, 0, f, false in any of their cases); any other value is
 * refused, as Compose v2 refuses it.
 */
export function ociRemoteEnabled(value: string | undefined): boolean {
  if (value === undefined || value === '') return true
  const enabled = goBoolean(value)
  if (enabled !== undefined) return enabled
  throw new RemoteFileError(
    `COMPOSE_EXPERIMENTAL_OCI_REMOTE environment variable expects boolean value: strconv.ParseBool: parsing ${JSON.stringify(value)}: invalid syntax`,
  )
}

/**
 * Pure: where fetched projects are kept, one directory each by its manifest's digest, as Compose v2
 * keeps them (so that each tool finds the other's copy): `$XDG_CACHE_HOME/docker-compose`, else
 * `~/.cache/docker-compose`.
 */
export function remoteCacheDirectory(env: NodeJS.ProcessEnv, home: string): string {
  return env.XDG_CACHE_HOME !== undefined
    ? join(env.XDG_CACHE_HOME, 'docker-compose')
    : join(home, '.cache', 'docker-compose')
}

/**
 * Pure: the manifest of the project an index lists (the last one whose artifact type is a compose
 * project's, as v2 takes it).
 */
export function projectManifestOf(index: unknown, reference: string): Descriptor {
  const manifests = ((index as { manifests?: unknown } | null)?.manifests ?? []) as (Descriptor & {
    artifactType?: string
  })[]
  const found = manifests.filter((m) => m?.artifactType === ARTIFACT_TYPE).at(-1)
  if (!found) throw new RemoteFileError(`OCI index ${reference} doesn't refer to compose artifacts`)
  return found
}

/** A name an annotation gives a file, refused unless it stays in the copy's directory. */
function fileName(name: string | undefined, reference: string): string {
  if (!name || /[\\/]/.test(name) || name === '.' || name === '..')
    throw new RemoteFileError(`invalid OCI artifact ${reference}: a layer names the file ${JSON.stringify(name)}`)
  return name
}

/**
 * Pure: the files a published project's manifest makes, as Compose v2 writes its copy: the compose
 * files in `compose.yaml`, each after the first behind a `---` line (a document of its own); a file
 * an `extends` names under its own name; each env file under the name its annotation gives. A
 * manifest of anything else than a compose project is refused, saying what it is.
 */
export function artifactFiles(manifest: unknown, reference: string): ArtifactFile[] {
  const { artifactType, config, layers } = (manifest ?? {}) as {
    artifactType?: string
    config?: { mediaType?: string }
    layers?: ArtifactLayer[]
  }
  const project = artifactType ? artifactType === ARTIFACT_TYPE : config?.mediaType === EMPTY_CONFIG_TYPE
  if (!project)
    throw new RemoteFileError(
      `${reference} is not a compose project OCI artifact, but ${artifactType || config?.mediaType || 'something else'}`,
    )
  return (layers ?? []).flatMap((layer, i): ArtifactFile[] => {
    const annotations = layer.annotations ?? {}
    if (layer.mediaType === COMPOSE_FILE_TYPE) {
      const named = 'com.docker.compose.file' in annotations
      const name =
        'com.docker.compose.extends' in annotations
          ? fileName(annotations['com.docker.compose.file'], reference)
          : 'compose.yaml'
      return [{ layer, name, separated: i > 0 && named }]
    }
    if (layer.mediaType === ENV_FILE_TYPE) {
      const name = annotations['com.docker.compose.envfile']
      if (name === undefined)
        throw new RemoteFileError(`missing annotation com.docker.compose.envfile in layer "${layer.digest}"`)
      return [{ layer, name: fileName(name, reference), separated: false }]
    }
    return []
  })
}
