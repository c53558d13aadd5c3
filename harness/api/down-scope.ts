import type { LoadedCompose } from '../model/pipeline/load.js'
import type { DownOptions } from '../runtime/project/down.js'
import { prunedServices } from '../runtime/project/images-to-prune.js'
import { withDependencies } from '../runtime/up/in-scope.js'

/**
 * Pure: what `down` weighs of the files, as Compose v2 reads them for it: with `services`, those and
 * what they depend on (compose-go's WithSelectedServices), and only the networks and named volumes
 * those use (WithoutUnnecessaryResources): their images for `--rmi`, and the networks and volumes
 * it goes on to. Without `services`, every service, and every network and volume of the project.
 */
export function downScope(
  { project, plan }: Pick<LoadedCompose, 'project' | 'plan'>,
  services: readonly string[] | undefined,
): Pick<DownOptions, 'serviceImages' | 'resources'> {
  const chosen = services?.length
    ? withDependencies(services, (s) => plan.dependencies.get(s) ?? []).flatMap((s) => project.services[s] ?? [])
    : Object.values(project.services)
  const serviceImages = prunedServices(project.name, project.nameSeparator ?? '-', chosen)
  if (!services?.length) return { serviceImages }
  const networks = chosen.flatMap((s) => Object.keys(s.networks).flatMap((key) => project.networks[key]?.name ?? []))
  const volumes = chosen.flatMap((s) =>
    s.volumes.flatMap((m) => (m.type === 'volume' && m.source ? (project.volumes[m.source]?.name ?? []) : [])),
  )
  return { serviceImages, resources: { networks: [...new Set(networks)], volumes: [...new Set(volumes)] } }
}
