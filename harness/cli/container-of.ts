import type { Compose } from '../api/compose.js'
import { checkServiceNames } from '../model/project/service-selection.js'
import type { ServiceHandle } from '../runtime/container/service-handle.js'
import { UsageError } from './usage-error.js'

/** `--index N`: a container number, from 1 (1 when absent). */
export function containerIndex(command: string, value: string | undefined): number {
  const index = value === undefined ? 1 : Number(value)
  if (!Number.isInteger(index) || index < 1)
    throw new UsageError(`${command}: --index takes a container number from 1, got ${value}`)
  return index
}

/** Container `index` of `service`, as the engine has the project now; the service must be one of the files'. */
export async function containerOf(
  compose: Compose,
  command: string,
  service: string,
  index: number,
): Promise<ServiceHandle> {
  const project = await compose.attach()
  checkServiceNames(project.loaded.project, [service])
  const handle = project.services.find((h) => h.service === service && h.number === index)
  if (!handle)
    throw new UsageError(`${command}: service "${service}" has no container number ${index} in project ${project.name}`)
  return handle
}
