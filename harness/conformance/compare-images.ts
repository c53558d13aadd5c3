import type { Engine } from '../runtime/engine.js'
import { connectEngine } from '../runtime/engine.js'
import { LABEL } from '../runtime/labels.js'
import { harnessCompose, type ModelCase } from './compare-model.js'
import { referenceRun } from './compare-containers.js'
import type { Finding } from './findings.js'
import { imageFacts } from './image-facts.js'
import { diffDocuments } from './model-diff.js'
import { listTar } from './tar-listing.js'

/**
 * Builds the case's images with `build` under two project names, the harness's (`<base>-h`) and
 * Compose v2's (`<base>-r`), one after the other on the same engine, and lists where the images of
 * each service differ: configuration, tags, and every file with its mode, owner and content. The
 * images and their tags are removed afterwards, whatever happened. A case names no `image:` of its
 * own and writes its `tags` with `${COMPOSE_PROJECT_NAME}`, so that the two builds never share a tag.
 */
export async function compareImages(
  c: ModelCase,
  reference: readonly string[],
  projectBase: string,
): Promise<Finding[]> {
  const engine = await connectEngine()
  const [ours, theirs] = [`${projectBase}-h`, `${projectBase}-r`]
  try {
    await harnessCompose(c, ours).build('always')
    await referenceRun(c, reference, theirs, ['build'])
    const harnessFacts = await projectImageFacts(engine, c, ours)
    const referenceFacts = await projectImageFacts(engine, c, theirs)
    return diffDocuments(harnessFacts, referenceFacts).map((d) => ({ kind: 'image', ...d }))
  } finally {
    for (const tag of [ours, theirs].flatMap((project) => builtImages(c, project).flatMap((i) => [i.image, ...i.tags])))
      await engine.container.dockerode
        .getImage(tag)
        .remove()
        .catch(() => undefined)
  }
}

/** The image and extra tags of every service the case builds, under `project`. */
function builtImages(c: ModelCase, project: string): { service: string; image: string; tags: string[] }[] {
  return Object.values(harnessCompose(c, project).load().project.services)
    .filter((s) => s.build)
    .map((s) => ({ service: s.name, image: s.image, tags: [...(s.build!.settings.tags ?? [])] }))
}

async function projectImageFacts(engine: Engine, c: ModelCase, project: string): Promise<Record<string, unknown>> {
  const facts: Record<string, unknown> = {}
  for (const { service, image } of builtImages(c, project)) {
    const inspection = await engine.container.dockerode.getImage(image).inspect()
    const otherTags = (inspection.RepoTags ?? []).filter((t) => t !== image && t !== `${image}:latest`)
    facts[service] = imageFacts(project, inspection, await filesOf(engine, project, inspection.Id), otherTags)
  }
  return facts
}

/** Every file of the image, as `docker export` of a container made from it (and never started) lists them. */
async function filesOf(engine: Engine, project: string, imageId: string) {
  const docker = engine.container.dockerode
  const container = await docker.createContainer({
    Image: imageId,
    Entrypoint: ['/nonexistent'],
    Labels: { [LABEL.project]: project },
  })
  try {
    return await listTar((await container.export()) as AsyncIterable<Buffer>)
  } finally {
    await container.remove({ force: true })
  }
}
