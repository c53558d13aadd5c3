import { appendFileSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'
import { digestOf, ENV_FILE_TYPE } from './compose-artifact.js'
import {
  artifactFiles,
  ociRemoteEnabled,
  projectManifestOf,
  remoteCacheDirectory,
  RemoteFileError,
  type ArtifactFile,
} from './artifact-files.js'
import { artifactTarget, RepositoryClient } from './oci-registry.js'
import { OCI_PREFIX } from '../../model/merge/remote-reference.js'

const INDEX_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
]

/**
 * Fetches the project published as `reference` (`oci://REGISTRY/REPOSITORY[:TAG|@DIGEST]`) into a
 * directory of its own, as Compose v2 does for `-f oci://…`: kept by its manifest's digest under
 * v2's cache directory, fetched once (a copy already there is used as it is), its compose files in
 * `compose.yaml`, beside the files its services extend and its env files. Resolves with the path of
 * `compose.yaml`. The registry is asked with the docker CLI's credentials, as `publish` asks it.
 */
export async function fetchComposeArtifact(reference: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (!ociRemoteEnabled(env.COMPOSE_EXPERIMENTAL_OCI_REMOTE))
    throw new RemoteFileError(`OCI remote resource is disabled by "COMPOSE_EXPERIMENTAL_OCI_REMOTE"`)
  const name = reference.slice(OCI_PREFIX.length)
  const target = artifactTarget(name)
  const registry = new RepositoryClient(target, env)
  const failed = (error: unknown) =>
    new RemoteFileError(
      `failed to pull OCI resource "${name}": ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    )
  try {
    const top = await registry.manifest(target.tag)
    const local = join(remoteCacheDirectory(env, homedir()), top.descriptor.digest.replace(/^[^:]*:/, ''))
    if (existsSync(local)) return join(local, 'compose.yaml')
    const manifest = INDEX_TYPES.includes(top.descriptor.mediaType)
      ? (await registry.manifest(projectManifestOf(JSON.parse(top.bytes.toString()), name).digest)).bytes
      : top.bytes
    const files = artifactFiles(JSON.parse(manifest.toString()), name)
    const contents = await Promise.all(files.map((file) => layerBytes(file, registry)))
    // Written aside, then put in place whole: a copy is never seen half-written, nor written twice by two runs at once.
    mkdirSync(dirname(local), { recursive: true, mode: 0o700 })
    const aside = mkdtempSync(`${local}.partial-`)
    try {
      writeCopy(aside, files, contents)
      renameSync(aside, local)
    } catch (error) {
      rmSync(aside, { recursive: true, force: true })
      // Another run put the same copy in place meanwhile.
      if (!existsSync(local)) throw error
    }
    return join(local, 'compose.yaml')
  } catch (error) {
    if (error instanceof RemoteFileError) throw error
    throw failed(error)
  }
}

/** A layer's bytes: those the manifest carries when they match its digest, else the registry's. */
async function layerBytes({ layer }: ArtifactFile, registry: RepositoryClient): Promise<Buffer> {
  const carried = layer.data === undefined ? undefined : Buffer.from(layer.data, 'base64')
  return carried && digestOf(carried) === layer.digest ? carried : registry.blob(layer.digest)
}

/** Writes the project's files into `local` (a new directory), in the manifest's order: each compose file after what its file has, an env file whole. */
function writeCopy(local: string, files: readonly ArtifactFile[], contents: readonly Buffer[]): void {
  files.forEach((file, i) => {
    const path = join(local, file.name)
    if (file.layer.mediaType === ENV_FILE_TYPE) writeFileSync(path, contents[i]!, { mode: 0o600 })
    else
      appendFileSync(path, Buffer.concat([Buffer.from(file.separated ? '\n---\n' : ''), contents[i]!]), { mode: 0o600 })
  })
}
