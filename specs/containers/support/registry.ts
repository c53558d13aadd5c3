import { resolve } from 'node:path'
import { Compose } from '../../../harness/api/compose.js'
import { connectEngine } from '../../../harness/runtime/engine/engine.js'
import { uniqueProjectName } from './test-projects.js'

const REGISTRY_FILE = resolve('fixtures/registry/compose.yml')

/** A real OCI registry (Debian's docker-registry) on a random port, for the run of one spec file. */
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
}

/** Builds the registry's image if missing, starts it, and waits until its port answers. */
export async function startRegistry(): Promise<Registry> {
  const started = await Compose.fromSettings({ files: [REGISTRY_FILE], projectName: uniqueProjectName('registry') }).up(
    {
      waitFor: { registry: { port: 5000 } },
    },
  )
  const registry = started.service('registry')
  const port = await registry.mappedPort(5000)
  // Where this machine reaches it: the same with a local engine, the engine's host with a remote one.
  const reached = `${await registry.host(5000)}:${port}`
  return {
    address: `127.0.0.1:${port}`,
    hostAddress: reached,
    async pushProbe(repository) {
      const docker = (await connectEngine()).container.dockerode
      const probe = `127.0.0.1:${port}/${repository}/probe`
      await docker.getImage('compose-harness-probe').tag({ repo: probe, tag: '1' })
      const stream = await docker.getImage(`${probe}:1`).push({ tag: '1' })
      await new Promise<void>((done, fail) =>
        docker.modem.followProgress(stream, (error: Error | null) => (error ? fail(error) : done())),
      )
    },
    async manifest(repository, tag) {
      const answer = await fetch(`http://${reached}/v2/${repository}/manifests/${tag}`, {
        headers: { accept: 'application/vnd.oci.image.manifest.v1+json' },
      })
      if (!answer.ok) throw new Error(`no manifest ${repository}:${tag} in the registry: ${answer.status}`)
      return (await answer.json()) as Record<string, unknown>
    },
    async tags(repository) {
      const answer = await fetch(`http://${reached}/v2/${repository}/tags/list`)
      if (answer.status === 404) return []
      const { tags } = (await answer.json()) as { tags?: string[] | null }
      return [...(tags ?? [])].sort()
    },
    [Symbol.asyncDispose]: () => started[Symbol.asyncDispose](),
  }
}
