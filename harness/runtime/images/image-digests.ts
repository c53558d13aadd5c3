import type { ServiceSpec } from '../../model/project/types.js'
import type { Engine } from '../engine/engine.js'
import { HarnessError } from '../../errors.js'
import { pinnedReference } from './image-reference.js'
import { imageAuth } from './registry-auth.js'

/** A service's image whose digest its registry could not give (the registry does not have it, or cannot be reached). */
export class ImageDigestError extends HarnessError {
  override readonly name = 'ImageDigestError'
  constructor(
    readonly service: string,
    readonly image: string,
    reason: string,
  ) {
    super(`service "${service}": failed to resolve digest for ${image}: ${reason}`)
  }
}

/**
 * The image each service names (those that name none, and build their own, are left out), pinned
 * to the digest its registry has for it now, asked through the engine as Compose v2 asks it
 * (`config --resolve-image-digests`). An image the registry does not have fails, naming the
 * service and the image.
 */
export async function pinnedImages(engine: Engine, services: readonly ServiceSpec[]): Promise<Map<string, string>> {
  const named = services.filter((s) => s.declared.includes('image'))
  const pinned = await Promise.all(
    named.map(async ({ name, image }) => {
      if (image.includes('@')) return [name, pinnedReference(image, '')] as const
      try {
        const auth = await imageAuth(image)
        const { Descriptor } = (await engine.container.dockerode
          .getImage(image)
          .distribution(auth && { authconfig: auth })) as {
          Descriptor: { digest: string }
        }
        return [name, pinnedReference(image, Descriptor.digest)] as const
      } catch (error) {
        throw new ImageDigestError(name, image, (error as Error).message.replace(/^\(HTTP code \d+\) [^-]*- /, ''))
      }
    }),
  )
  return new Map(pinned)
}
