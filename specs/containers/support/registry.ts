import { resolve } from 'node:path'
import { Compose } from '../../../harness/api/compose.js'
import { connectEngine } from '../../../harness/runtime/engine/engine.js'
import { uniqueProjectName } from './test-projects.js'

const REGISTRY_FILE = resolve('fixtures/registry/compose.yml')
/** The same registry asking for basic authentication: user `spec`, password `spec-secret`. */
const AUTH_REGISTRY_FILE = resolve('fixtures/registry/auth.yml')
export const REGISTRY_USER = { username: 'spec', password: 'spec-secret' }

/** A real OCI registry (Debian's docker-registry) on a random port, for the run of one spec file; disposed of with the engine's tags of its images. */
export interface Registry extends AsyncDisposable {
  /** `127.0.0.1:PORT`, as the engine reaches it: an image named under it is pushed to and pulled from this registry. */
  readonly address: string
  /** Where this machine reaches the registry (a remote engine's host), for what talks to it directly (`publish`). */
  readonly hostAddress: string
  /** The tags the registry holds of `repository` (its HTTP API, on loopback); none for a repository it does not have. */
  tags(repository: string): Promise<string[]>
  /** compose-harness-probe pushed as `repository/probe:1` of the registry, through the engine. */
  pushProbe(repository: string): Promise<void>
  /** The OCI manifest the registry holds under `repository:tag`, parsed. */
  manifest(repository: string, tag: string): Promise<Record<string, unknown>>
  /** The configuration of the image the registry holds under `repository:tag` (an OCI or a Docker manifest's), parsed. */
  imageConfig(repository: string, tag: string): Promise<Record<string, unknown>>
}

/**
 * Builds the registry's image if missing, starts it, and waits until its port answers. With
 * `withAuth`, it asks for REGISTRY_USER's credentials (its helpers' requests then send them).
 */
export async function startRegistry({ withAuth = false } = {}): Promise<Registry> {
  const files = [withAuth ? AUTH_REGISTRY_FILE : REGISTRY_FILE]
  const started = await Compose.fromSettings({ files, projectName: uniqueProjectName('registry') }).up({
    waitFor: { registry: { port: 5000 } },
  })
  const registry = started.service('registry')
  const port = await registry.mappedPort(5000)
  // Where this machine reaches it: the same with a local engine, the engine's host with a remote one.
  const reached = `${await registry.host(5000)}:${port}`
  const authorization = withAuth
    ? `Basic ${Buffer.from(`${REGISTRY_USER.username}:${REGISTRY_USER.password}`).toString('base64')}`
    : undefined
  /** A GET of the registry's API (`/v2/PATH`), with REGISTRY_USER's credentials where it asks for them. */
  const get = (path: string, accept?: string): Promise<Response> =>
    fetch(`http://${reached}/v2/${path}`, {
      headers: { ...(accept && { accept }), ...(authorization && { authorization }) },
    })
  return {
    address: `127.0.0.1:${port}`,
    hostAddress: reached,
    async pushProbe(repository) {
      const docker = (await connectEngine()).container.dockerode
      const probe = `127.0.0.1:${port}/${repository}/probe`
      await docker.getImage('compose-harness-probe').tag({ repo: probe, tag: '1' })
      const stream = await docker
        .getImage(`${probe}:1`)
        .push({ tag: '1', ...(withAuth && { authconfig: { ...REGISTRY_USER, serveraddress: `127.0.0.1:${port}` } }) })
      await new Promise<void>((done, fail) =>
        docker.modem.followProgress(stream, (error: Error | null) => (error ? fail(error) : done())),
      )
    },
    async manifest(repository, tag) {
      const answer = await get(`${repository}/manifests/${tag}`, 'application/vnd.oci.image.manifest.v1+json')
      if (!answer.ok) throw new Error(`no manifest ${repository}:${tag} in the registry: ${answer.status}`)
      return (await answer.json()) as Record<string, unknown>
    },
    async imageConfig(repository, tag) {
      const manifest = await get(
        `${repository}/manifests/${tag}`,
        'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json',
      )
      if (!manifest.ok) throw new Error(`no manifest ${repository}:${tag} in the registry: ${manifest.status}`)
      const { config } = (await manifest.json()) as { config: { digest: string } }
      const blob = await get(`${repository}/blobs/${config.digest}`)
      if (!blob.ok) throw new Error(`no blob ${config.digest} in ${repository}: ${blob.status}`)
      return (await blob.json()) as Record<string, unknown>
    },
    async tags(repository) {
      const answer = await get(`${repository}/tags/list`)
      if (answer.status === 404) return []
      const { tags } = (await answer.json()) as { tags?: string[] | null }
      return [...(tags ?? [])].sort()
    },
    // The engine's tags of the registry's images go with it, by tag, never by ID: the probe's tags
    // share their image with compose-harness-probe.
    async [Symbol.asyncDispose]() {
      const docker = (await connectEngine()).container.dockerode
      const tags = (await docker.listImages())
        .flatMap((i) => i.RepoTags ?? [])
        .filter((t) => t.startsWith(`127.0.0.1:${port}/`))
      await Promise.allSettled(tags.map((t) => docker.getImage(t).remove()))
      await started[Symbol.asyncDispose]()
    },
  }
}
