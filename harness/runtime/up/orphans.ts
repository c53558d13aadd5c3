import type { LoadedCompose } from '../../model/pipeline/load.js'
import type { ConvergeOptions } from './converge-options.js'
import type { Engine } from '../engine/engine.js'
import type { ExistingContainer } from '../project/project-containers.js'
import { deleteContainer, stopContainer } from '../engine/remove.js'
import { containerId, reported } from '../engine/progress-events.js'

/**
 * Containers of services the files no longer have: warned of, as Compose v2 does, or removed with
 * `removeOrphans` (a service only disabled by its profile is not an orphan); left alone, unwarned,
 * with `ignoreOrphans`.
 */
export async function handleOrphans(
  engine: Engine,
  { project }: LoadedCompose,
  existing: Map<string, ExistingContainer[]>,
  options: ConvergeOptions,
  warn: (w: string) => void,
): Promise<void> {
  const orphans = [...existing]
    .filter(([s]) => !(s in project.services) && !project.disabled.includes(s))
    .flatMap(([, cs]) => cs)
  if (orphans.length === 0 || options.ignoreOrphans) return
  if (!options.removeOrphans) {
    warn(
      `Found orphan containers (${orphans.map((c) => c.name).join(', ')}) for this project. If you removed or renamed this service in your compose file, run up with --remove-orphans to clean them up.`,
    )
    return
  }
  await Promise.all(
    orphans.map(async (c) => {
      const id = containerId(c.name)
      try {
        await reported(options.onProgress, id, ['Stopping', 'Stopped'], () => stopContainer(engine, c.id))
      } finally {
        await reported(options.onProgress, id, ['Removing', 'Removed'], () => deleteContainer(engine, c.id))
      }
      options.onEvent?.({ service: c.service, container: c.name, action: 'removed', ms: 0 })
    }),
  )
}
