import {
  ARTIFACT_TYPE,
  digestOf,
  artifactManifest,
  goJson,
  OCI_MANIFEST_TYPE,
  type Blob,
  type OciVersion,
} from './compose-artifact.js'
import { artifactTarget, RepositoryClient, type ArtifactTarget, type Descriptor } from './oci-registry.js'

const OCI_INDEX_TYPE = 'application/vnd.oci.image.index.v1+json'

/** Statuses of a client error a registry gives for what it does not take, not for who asks. */
const AUTH_STATUSES = [401, 403, 407]

/**
 * Pushes a project's layers and the manifest that makes them an artifact under `target`'s tag, as
 * Compose v2 publishes: OCI 1.1 (an artifact type, an empty config) unless `version` says 1.0, and
 * 1.0 (Compose's own config type) when the registry refuses 1.1's manifest with a client error
 * other than authentication's.
 */
export async function publishArtifact(
  target: ArtifactTarget,
  layers: readonly Blob[],
  options: { version?: OciVersion; env?: NodeJS.ProcessEnv; now?: Date; app?: AppImages } = {},
): Promise<void> {
  const { version, env = process.env, now = new Date() } = options
  const client = new RepositoryClient(target, env)
  for (const layer of layers) await client.pushBlob(layer)
  const what = `pushing the manifest of ${target.repository}:${target.tag}`
  const attempt = async (as: OciVersion) => {
    const { config, manifest } = artifactManifest(layers, as, now)
    await client.pushBlob(config)
    return { as, manifest, answer: await client.pushManifest(manifest, OCI_MANIFEST_TYPE) }
  }
  let pushed = await attempt(version ?? '1.1')
  const { status } = pushed.answer
  if (version === undefined && status >= 400 && status < 500 && !AUTH_STATUSES.includes(status)) {
    await pushed.answer.body?.cancel()
    pushed = await attempt('1.0')
  }
  await client.expect(pushed.answer, 201, what)
  if (options.app) await publishImages(client, pushed, options.app, env)
}

/** `--app`: the services' images, and the version that annotates the index that lists them. */
export interface AppImages {
  readonly images: readonly string[]
  readonly version: string
}

/**
 * `--app`: each service's image copied into the artifact's repository (its manifests and blobs,
 * mounted from their repository where the registry is the same), then an index of them whose
 * subject is the project's manifest, pushed by its digest, as Compose v2 pushes them.
 */
async function publishImages(
  client: RepositoryClient,
  project: { as: OciVersion; manifest: Buffer },
  app: AppImages,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  const manifests = []
  for (const image of app.images) {
    const source = artifactTarget(image)
    const from = new RepositoryClient(source, env)
    const { descriptor } = await from.manifest(source.tag)
    await copyManifest(from, client, descriptor.digest)
    manifests.push({
      ...descriptor,
      // Named by the registry's host without its port, as Compose v2 names it (a URL's hostname).
      annotations: {
        [`containerd.io/distribution.source.${new URL(`dummy://${source.registry}`).hostname.replace(/^\[|\]$/g, '')}`]:
          source.repository,
      },
    })
  }
  const version = { 'com.docker.compose.version': app.version }
  const index = Buffer.from(
    goJson({
      schemaVersion: 2,
      mediaType: OCI_INDEX_TYPE,
      manifests,
      subject: {
        mediaType: OCI_MANIFEST_TYPE,
        digest: digestOf(project.manifest),
        size: project.manifest.length,
        annotations: version,
        ...(project.as === '1.1' && { artifactType: ARTIFACT_TYPE }),
      },
      annotations: version,
    }),
  )
  await client.expect(
    await client.pushManifest(index, OCI_INDEX_TYPE, digestOf(index)),
    201,
    'pushing the index of the images',
  )
}

/** A manifest of `from`, with what it refers to (the manifests an index lists, a manifest's config and layers), copied into `to`. */
async function copyManifest(from: RepositoryClient, to: RepositoryClient, digest: string): Promise<Descriptor> {
  const { descriptor, bytes } = await from.manifest(digest)
  const parsed = JSON.parse(bytes.toString()) as {
    manifests?: Descriptor[]
    config?: Descriptor
    layers?: Descriptor[]
  }
  for (const child of parsed.manifests ?? []) await copyManifest(from, to, child.digest)
  for (const blob of [...(parsed.config ? [parsed.config] : []), ...(parsed.layers ?? [])])
    await to.copyBlob(blob.digest, from)
  await to.expect(await to.pushManifest(bytes, descriptor.mediaType, descriptor.digest), 201, `copying ${digest}`)
  return descriptor
}
