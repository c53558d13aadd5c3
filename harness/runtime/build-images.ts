import { availableParallelism } from 'node:os'
import { GenericContainer, ImageName } from 'testcontainers'
import type { ServiceSpec } from '../compose/types.js'
import type { Engine } from './engine.js'
import { messageOf, ServiceStartError } from './runtime-errors.js'

/** `always`: build every service that has a `build` (`up --build`); `missing`: only where its image is absent (Compose's default). */
export type BuildPolicy = 'always' | 'missing' | 'never'

/**
 * Builds the images of the services that have a `build`, several at once, each tag once. Built
 * images stay: they are the build cache of the next run, not garbage.
 */
export async function buildImages(engine: Engine, services: readonly ServiceSpec[], policy: BuildPolicy, onBuilt?: (service: string, ms: number) => void): Promise<void> {
  if (policy === 'never') return
  const byImage = new Map<string, ServiceSpec>()
  for (const service of services) if (service.build && !byImage.has(service.image)) byImage.set(service.image, service)
  const queue = [...byImage.values()]
  const worker = async (): Promise<void> => {
    for (let service = queue.shift(); service; service = queue.shift()) {
      if (policy === 'missing' && (await engine.image.exists(ImageName.fromString(service.image)))) continue
      const started = Date.now()
      await buildOne(service)
      onBuilt?.(service.name, Date.now() - started)
    }
  }
  const width = Math.max(1, Math.min(availableParallelism(), 4))
  await Promise.all(Array.from({ length: width }, worker))
}

async function buildOne(service: ServiceSpec): Promise<void> {
  const build = service.build!
  const builder = GenericContainer.fromDockerfile(build.context, build.dockerfile).withBuildArgs({ ...build.args })
  if (build.target) builder.withTarget(build.target)
  try {
    await builder.build(service.image, { deleteOnExit: false })
  } catch (error) {
    throw new ServiceStartError({ service: service.name, phase: 'build', image: service.image },
      `${messageOf(error)} (context ${build.context}, dockerfile ${build.dockerfile})`, { cause: error })
  }
}
