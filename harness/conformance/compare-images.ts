import type { Engine } from '../runtime/engine/engine.js'
import { HarnessError } from '../errors.js'
import { connectEngine } from '../runtime/engine/engine.js'
import { LABEL } from '../runtime/engine/labels.js'
import { harnessCompose, type ModelCase } from './compare-model.js'
import { failure, referenceRun } from './compare-containers.js'
import { ReferenceFailedError } from './reference-failed-error.js'
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
  /** Whether this engine can build the case: where it cannot, both tools failing is agreement. */
  mustBuild = true,
): Promise<Finding[]> {
  const engine = await connectEngine()
  const [ours, theirs] = [`${projectBase}-h`, `${projectBase}-r`]
  try {
    // One failing is a finding; both failing is one too, unless the case says this engine cannot build it.
    // One after the other: run together, BuildKit would merge their identical steps into one, with one client's session.
    const failed = [
      await harnessCompose(c, ours)
        .build('always')
        .then(
          () => undefined,
          (error: unknown) => failure(error, HarnessError),
        ),
      await referenceRun(c, reference, theirs, ['build']).then(
        () => undefined,
        (error: unknown) => failure(error, ReferenceFailedError),
      ),
    ]
    if (failed[0] !== undefined || failed[1] !== undefined)
      return failed[0] !== undefined && failed[1] !== undefined && !mustBuild
        ? []
        : [{ kind: 'build', harness: failed[0], reference: failed[1] }]
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
    // With its anonymous volumes: an image that declares a VOLUME gives the container one.
    await container.remove({ force: true, v: true })
  }
}
