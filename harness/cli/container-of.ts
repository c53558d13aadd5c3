import type { Compose } from '../api/compose.js'
import type { ExistingContainer } from '../runtime/project/project-containers.js'
import type { ServiceHandle } from '../runtime/container/service-handle.js'
import { ResourceError } from '../runtime/engine/runtime-errors.js'
import { UsageError } from './usage-error.js'

/** `--index N`: a container number from 1; 0 (the default, as Compose v2 has it) or less is any of them. */
export function containerIndex(command: string, value: string | undefined): number {
  const index = value === undefined ? 0 : Number(value)
  if (!Number.isInteger(index)) throw new UsageError(`${command}: --index takes a container number, got ${value}`)
  return Math.max(index, 0)
}

/**
 * Pure: the container of `service` that Compose v2 picks for `exec`, `attach`, `port`, `commit`,
 * `export` and `cp` (its `getSpecifiedContainer`): number `index` when above 0, else the lowest
 * number; running ones only, unless `all` (`cp`). The service is whatever the containers' labels
 * name, the files' or not (v2 goes by the project's name there); the error is v2's, with what
 * became of a container the service has but does not run.
 */
export function pickContainer(
  containers: readonly ExistingContainer[],
  service: string,
  index: number,
  { all = false }: { readonly all?: boolean } = {},
): ExistingContainer {
  const ofService = containers
    .filter((c) => c.service === service && (index === 0 || c.number === index))
    .sort((a, b) => a.number - b.number)
  const picked = ofService.find((c) => all || c.running)
  if (picked) return picked
  const which = index > 0 ? ` container #${index}` : ''
  if (all && index === 0) throw new ResourceError(`no container found for service "${service}"`)
  const stopped = ofService[0]
  const why = stopped
    ? ` (${stopped.name} ${stopped.exitCode !== undefined ? `exited with code ${stopped.exitCode}` : `is ${stopped.state}`}); start it with \`start ${service}\``
    : ''
  throw new ResourceError(`service "${service}" is not running${which}${why}`)
}

/** The container `pickContainer` picks, as the engine has the project now, as a handle. */
export async function containerOf(
  compose: Compose,
  service: string,
  index: number,
  options: { readonly all?: boolean } = {},
): Promise<ServiceHandle> {
  const project = await compose.withServicesEnabled(service).attach()
  const picked = pickContainer(await project.ps(), service, index, options)
  return project.services.find((h) => h.id === picked.id)!
}
