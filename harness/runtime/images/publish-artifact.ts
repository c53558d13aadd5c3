import { artifactManifest, OCI_MANIFEST_TYPE, type Blob, type OciVersion } from './compose-artifact.js'
import { RepositoryClient, type ArtifactTarget } from './oci-registry.js'

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
  { version, env = process.env, now = new Date() }: { version?: OciVersion; env?: NodeJS.ProcessEnv; now?: Date } = {},
): Promise<void> {
  const client = new RepositoryClient(target, env)
  for (const layer of layers) await client.pushBlob(layer)
  const attempt = async (as: OciVersion): Promise<Response> => {
    const { config, manifest } = artifactManifest(layers, as, now)
    await client.pushBlob(config)
    return client.pushManifest(manifest, OCI_MANIFEST_TYPE)
  }
  const answer = await attempt(version ?? '1.1')
  const refused = answer.status >= 400 && answer.status < 500 && !AUTH_STATUSES.includes(answer.status)
  if (version === undefined && refused) {
    await answer.body?.cancel()
    return client.expect(await attempt('1.0'), 201, `pushing the manifest of ${target.repository}:${target.tag}`)
  }
  return client.expect(answer, 201, `pushing the manifest of ${target.repository}:${target.tag}`)
}
