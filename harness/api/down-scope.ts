import type { LoadedCompose } from '../model/pipeline/load.js'
import type { DownOptions as ProjectDownOptions } from '../runtime/project/down.js'
import { prunedServices } from '../runtime/project/images-to-prune.js'
import { withDependencies } from '../model/project/graph.js'

/** `down`'s options, as a test or a script gives them: what the files say (hooks, images, networks), the API adds itself. */
export type DownOptions = Omit<
  ProjectDownOptions,
  'hooks' | 'nameSeparator' | 'withDependents' | 'serviceImages' | 'resources'
>

/**
 * Pure: what `down` weighs of the files, as Compose v2 reads them for it: with `services`, those and
 * what they depend on (compose-go's WithSelectedServices), and only the networks and named volumes
 * those use (WithoutUnnecessaryResources): their images for `--rmi`, and the networks and volumes
 * it goes on to (external ones left out). Without `services`, every service and what they use.
 */
export function downScope(
  { project, plan }: Pick<LoadedCompose, 'project' | 'plan'>,
  services: readonly string[] | undefined,
): Pick<ProjectDownOptions, 'serviceImages' | 'resources'> {
  const chosen = services?.length
    ? withDependencies(services, (s) => plan.dependencies.get(s) ?? []).flatMap((s) => project.services[s] ?? [])
    : Object.values(project.services)
  const serviceImages = prunedServices(project.name, project.nameSeparator ?? '-', chosen)
  // As v2's ensureNetworksDown and ensureVolumesDown, external ones left out.
  const networks = chosen.flatMap((s) =>
    Object.keys(s.networks).flatMap((key) => {
      const network = project.networks[key]
      return network && !network.external ? [network.name] : []
    }),
  )
  const volumes = chosen.flatMap((s) =>
    s.volumes.flatMap((m) => {
      const volume = m.type === 'volume' && m.source ? project.volumes[m.source] : undefined
      return volume && !volume.external ? [volume.name] : []
    }),
  )
  return { serviceImages, resources: { networks: [...new Set(networks)], volumes: [...new Set(volumes)] } }
}
