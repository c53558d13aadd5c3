import type Dockerode from 'dockerode'
// The engine client's type from testcontainers itself: engine.ts imports this file, and importing it back would make a cycle.
import type { ContainerRuntimeClient as Engine } from 'testcontainers'

const versions = new WeakMap<Engine, Promise<Dockerode.DockerVersion>>()

/**
 * The engine's `/version` (its API version, its components), asked once an engine for all who
 * need it: a failed answer is not kept, so that the next asks again.
 */
export function engineVersion(engine: Engine): Promise<Dockerode.DockerVersion> {
  let answer = versions.get(engine)
  if (!answer) {
    answer = engine.container.dockerode.version()
    versions.set(engine, answer)
    answer.catch(() => versions.delete(engine))
  }
  return answer
}

/** The engine's API version (`1.41` for Docker 20.10); '' where it does not say. */
export function engineApiVersion(engine: Engine): Promise<string> {
  return engineVersion(engine).then(
    (v) => v.ApiVersion ?? '',
    () => '',
  )
}
