import type { Engine } from '../engine/engine.js'
import { LABEL } from '../engine/labels.js'
import { isGone } from '../engine/remove.js'
import { candidateNames, imagesToPrune, type PruneInput } from './images-to-prune.js'
import type { ExistingContainer } from './project-containers.js'

/** The services of a project known by its name, from its containers: each with the image its first container runs, as Compose v2 reads them. */
export function servicesOfContainers(containers: readonly Pick<ExistingContainer, 'service' | 'image'>[]) {
  const seen = new Map<string, string>()
  for (const c of containers) if (!seen.has(c.service)) seen.set(c.service, c.image)
  return [...seen].map(([name, image]) => ({ name, image }))
}

/** The images `down --rmi` removes (images-to-prune.ts decides), asked of the engine. */
export async function imagesToRemove(engine: Engine, input: Omit<PruneInput, 'labelled'>): Promise<string[]> {
  const docker = engine.container.dockerode
  const [labelled, present] = await Promise.all([
    docker.listImages({ filters: { label: [`${LABEL.project}=${input.project}`], dangling: ['false'] } }),
    Promise.all(
      candidateNames(input).map(async (name) => {
        try {
          await docker.getImage(name).inspect()
          return name
        } catch (error) {
          // As Compose v2 errs: only an image the engine says it lacks is passed over.
          return isGone(error) ? undefined : name
        }
      }),
    ),
  ])
  const there = new Set(present.filter((n) => n !== undefined))
  return imagesToPrune(
    { ...input, labelled: labelled.map((i) => ({ tags: i.RepoTags ?? [], service: i.Labels?.[LABEL.service] ?? '' })) },
    (name) => there.has(name),
  )
}
