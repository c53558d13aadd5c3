import type { Engine } from './engine.js'

const stores = new WeakMap<Engine, Promise<boolean>>()

/**
 * Whether the engine keeps its images in containerd's image store (its `features:
 * containerd-snapshotter`, the default of a fresh Docker 29), asked once an engine: such an engine
 * keeps an image for several platforms, and its own builder builds one (buildx's `docker` driver
 * then builds `platforms`, and exports caches other than inline).
 */
export function hasContainerdImageStore(engine: Engine): Promise<boolean> {
  let answer = stores.get(engine)
  if (!answer) {
    answer = engine.container.dockerode.info().then(
      (info: { DriverStatus?: readonly (readonly string[])[] }) =>
        (info.DriverStatus ?? []).some(
          ([key, value]) => key === 'driver-type' && value === 'io.containerd.snapshotter.v1',
        ),
      () => false,
    )
    stores.set(engine, answer)
  }
  return answer
}
