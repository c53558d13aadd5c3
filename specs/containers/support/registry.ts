import { resolve } from 'node:path'
import { Compose } from '../../../harness/api/compose.js'
import { uniqueProjectName } from './test-projects.js'

const REGISTRY_FILE = resolve('fixtures/registry/compose.yml')

/** A real OCI registry (Debian's docker-registry) on a random port, for the run of one spec file. */
export interface Registry extends AsyncDisposable {
  /** `127.0.0.1:PORT`, as the engine reaches it: an image named under it is pushed to and pulled from this registry. */
  readonly address: string
  /** The tags the registry holds of `repository` (its HTTP API, on loopback); none for a repository it does not have. */
  tags(repository: string): Promise<string[]>
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
    async tags(repository) {
      const answer = await fetch(`http://${reached}/v2/${repository}/tags/list`)
      if (answer.status === 404) return []
      const { tags } = (await answer.json()) as { tags?: string[] | null }
      return [...(tags ?? [])].sort()
    },
    [Symbol.asyncDispose]: () => started[Symbol.asyncDispose](),
  }
}
