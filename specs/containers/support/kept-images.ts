import type { Compose } from '../../../harness/index.js'
import { LABEL } from '../../../harness/runtime/engine/labels.js'
import { connectEngine } from '../../../harness/runtime/engine/engine.js'

/**
 * Builds the images the suite keeps from run to run under their tags (the echo pair, the probe, a
 * Docker-in-Docker engine), and removes each image a build took its tag from: once its Dockerfile
 * or context changed, a fixture's rebuild would otherwise leave its last image behind, untagged.
 * Only an image left with no tag at all, built for the same service, and used by no container or
 * image goes (the engine refuses the others).
 */
export async function buildKept(compose: Compose): Promise<void> {
  const docker = (await connectEngine()).container.dockerode
  const targets = compose.bakeDefinition().target as Record<string, { readonly tags?: readonly string[] }>
  const tagged = Object.entries(targets).flatMap(([service, t]) => (t.tags ?? []).map((tag) => ({ service, tag })))
  const idOf = (name: string) =>
    docker
      .getImage(name)
      .inspect()
      .then(
        (image) => image,
        () => undefined,
      )
  const before = await Promise.all(tagged.map(async (t) => ({ ...t, id: (await idOf(t.tag))?.Id })))
  await compose.build('always')
  for (const { service, tag, id } of before) {
    if (id === undefined || (await idOf(tag))?.Id === id) continue
    const replaced = await idOf(id)
    if (!replaced || (replaced.RepoTags ?? []).length > 0) continue
    if (replaced.Config?.Labels?.[LABEL.service] !== service) continue
    await docker
      .getImage(id)
      .remove()
      .catch(() => undefined)
  }
}
