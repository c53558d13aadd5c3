import { runHooks } from '../container/hooks.js'
import type { ServiceSpec } from '../../model/project/types.js'
import { logLines } from '../container/container-logs.js'
import type { ContainerSpec } from '../create/container-spec.js'
import type { Engine } from '../engine/engine.js'
import type { ExistingContainer } from '../project/project-containers.js'
import { messageOf, ServiceStartError } from '../engine/runtime-errors.js'
import { startServiceContainer } from '../create/service-container.js'
import { asksForAnAddress, widenedBindings } from '../create/port-bindings.js'
import { isPodman } from '../engine/podman.js'

// Starting a service's container: a new one (created, then started once its dependencies are ready) or an existing one.

/**
 * Creates the container, waits for `beforeStart` (its dependencies), then starts it. Where Podman
 * publishes a port otherwise than asked (port-bindings.ts), on every interface instead of the
 * address asked, it is warned of.
 */
export async function createAndStart(
  engine: Engine,
  service: ServiceSpec,
  spec: ContainerSpec,
  onCreated: (id: string, warnings: readonly string[]) => void,
  beforeStart: () => Promise<void>,
  warn: (warning: string) => void,
): Promise<string> {
  try {
    const id = await startServiceContainer(engine, spec, onCreated, beforeStart)
    await runHooks(engine, { id, service: service.name }, 'post_start', service.run.postStart)
    if (asksForAnAddress(spec.host.PortBindings) && (await isPodman(engine))) {
      const widened = widenedBindings(spec.host.PortBindings, await engine.container.getById(id).inspect())
      if (widened.length > 0)
        warn(
          `${spec.create.name}: the engine published ${widened.join(', ')} on every interface, not on the address asked ` +
            `(Podman's Docker-compatible API drops the address of a port given no host port). ` +
            `Give the host port too ("127.0.0.1:8080:8080") to keep it on that address.`,
        )
    }
    return id
  } catch (error) {
    // A dependency's failure, met while this container waited to start, is the dependency's to report.
    if (error instanceof ServiceStartError) throw error
    throw new ServiceStartError({ service: service.name, phase: 'start', image: service.image }, messageOf(error), {
      cause: error,
    })
  }
}

export async function startExisting(engine: Engine, service: ServiceSpec, old: ExistingContainer): Promise<void> {
  try {
    await engine.container.start(engine.container.getById(old.id))
    await runHooks(engine, { id: old.id, service: service.name }, 'post_start', service.run.postStart)
  } catch (error) {
    const logTail = await logLines(engine, old.id, 10).catch(() => [])
    throw new ServiceStartError(
      { service: service.name, phase: 'start', image: service.image, logTail },
      messageOf(error),
      { cause: error },
    )
  }
}
