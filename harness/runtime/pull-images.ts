import type { ServiceSpec } from '../model/types.js'
import { imageExists } from './build-images.js'
import type { Engine } from './engine.js'
import { registryUnreachable, ServiceStartError } from './runtime-errors.js'

/**
 * Pulls the images of services that do not build and whose image is missing, before anything is
 * created, so that a missing image fails `up` at once with the reason.
 */
export async function pullMissingImages(engine: Engine, services: readonly ServiceSpec[]): Promise<void> {
  const images = new Map(services.filter((s) => !s.build).map((s) => [s.image, s.name]))
  await Promise.all(
    [...images].map(async ([image, service]) => {
      if (await imageExists(engine, image)) return
      const why = await pull(engine, image)
      if (why === undefined) return
      const hint = registryUnreachable(why)
        ? 'no registry was reachable to pull it: build it, `docker load` it, or make a registry reachable'
        : 'build it or check its name'
      throw new ServiceStartError(
        { service, phase: 'pull', image },
        `image "${image}" is not present and could not be pulled: ${why.split('\n')[0]} (${hint})`,
      )
    }),
  )
}

/** undefined when pulled, else the engine's reason. */
function pull(engine: Engine, image: string): Promise<string | undefined> {
  const docker = engine.container.dockerode
  return new Promise((resolve) => {
    // With a callback, dockerode answers through it and returns nothing to await.
    void docker.pull(image, (error: Error | null, stream: NodeJS.ReadableStream) => {
      if (error) return resolve(error.message)
      docker.modem.followProgress(stream, (err: Error | null) => resolve(err?.message))
    })
  })
}
