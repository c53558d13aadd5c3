import { nameSeparatorOf, type ComposeProject } from '../../model/project/types.js'
import type { Engine } from '../engine/engine.js'
import { LABEL } from '../engine/labels.js'
import { statusOf } from '../engine/remove.js'
import { isBuiltHere } from './built-here.js'

/**
 * The images a project builds under the name Compose gives them, `<project>-<service>` (its
 * services that build and name no image): a throwaway project's name is new each run, so these tags
 * would pile up. A tag the file names is the user's, and stays.
 */
export function throwawayImages(project: ComposeProject): string[] {
  return Object.values(project.services)
    .filter((s) => s.build && s.image === [project.name, s.name].join(nameSeparatorOf(project)))
    .map((s) => s.image)
}

/**
 * Untags each of `images` that this project's build made (it carries the project's label, or is the
 * image this process's classic builder made under that tag), as
 * `docker rmi` does without pruning: BuildKit's cache (and the classic builder's parent layers)
 * still serves the next build. One in use by a container, or gone, is left as it is.
 */
export async function removeThrowawayImages(engine: Engine, project: string, images: readonly string[]): Promise<void> {
  const docker = engine.container.dockerode
  await Promise.all(
    images.map(async (name) => {
      const image = docker.getImage(name)
      try {
        const info = await image.inspect()
        if (info.Config.Labels?.[LABEL.project] !== project && !isBuiltHere(name, info.Id)) return
        await image.remove({ noprune: true })
      } catch (error) {
        if (statusOf(error) !== 404 && statusOf(error) !== 409) throw error
      }
    }),
  )
}

/**
 * Removes the project's images that a rebuild left without a tag (they carry the project's label),
 * as Compose v2's watch prunes them after a rebuild; one still in use by a container stays.
 */
export async function removeDanglingImages(engine: Engine, project: string): Promise<void> {
  const docker = engine.container.dockerode
  const dangling = await docker.listImages({
    filters: { dangling: ['true'], label: [`${LABEL.project}=${project}`] },
  })
  await Promise.all(
    dangling.map((i) =>
      docker
        .getImage(i.Id)
        .remove()
        .catch((error: unknown) => {
          if (statusOf(error) !== 404 && statusOf(error) !== 409) throw error
        }),
    ),
  )
}
