import { ComposeError, type Problem } from '../model/compose-error.js'
import type { LoadedCompose } from '../model/load.js'
import type { Engine } from './engine.js'

/** Service keys that an older engine would take and silently ignore, with the API version that applies them. */
const NEEDS_API: readonly { readonly key: 'annotations'; readonly api: string; readonly docker: string }[] = [
  { key: 'annotations', api: '1.43', docker: '24' },
]

/** `1.41` < `1.43`, numerically by part. */
function older(version: string, than: string): boolean {
  const [a = 0, b = 0] = version.split('.').map(Number)
  const [c = 0, d = 0] = than.split('.').map(Number)
  return a < c || (a === c && b < d)
}

/** Pure: the keys the files set that an engine speaking `apiVersion` would ignore, each where it is written. */
export function beyondEngine({ project, locate }: LoadedCompose, apiVersion: string): Problem[] {
  return Object.values(project.services).flatMap((service) =>
    NEEDS_API.filter(({ key, api }) => service.declared.includes(key) && older(apiVersion, api)).map(
      ({ key, api, docker }): Problem => {
        const path = ['services', service.name, key]
        return {
          at: locate(path),
          path,
          detail: `needs engine API ${api} (Docker ${docker}); this engine speaks ${apiVersion} and would ignore it`,
        }
      },
    ),
  )
}

/** Refuses, before anything is created, what the files ask of this engine that it would silently not do. */
export async function refuseBeyondEngine(engine: Engine, loaded: LoadedCompose): Promise<void> {
  const { ApiVersion } = await engine.container.dockerode.version()
  const problems = beyondEngine(loaded, ApiVersion)
  if (problems.length > 0) throw new ComposeError(problems)
}
