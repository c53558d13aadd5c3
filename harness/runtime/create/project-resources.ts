import type { ComposeProject, NetworkSpec } from '../../model/project/types.js'
import type { Engine } from '../engine/engine.js'
import { LABEL, networkLabels, volumeLabels } from '../engine/labels.js'
import { networkHash, volumeHash } from '../../model/pipeline/config-hash.js'
import { ResourceError } from '../engine/runtime-errors.js'
import { removeNetwork } from '../engine/remove.js'
import { reported, type OnProgress } from '../engine/progress-events.js'

/** What `up` created, so that a failed `up` can remove exactly that. */
export interface CreatedResources {
  readonly networks: string[]
  readonly volumes: string[]
}

/** How `ensureResources` labels and reports what it creates, and which it creates. */
export interface ResourceOptions {
  /** The reaper session labelled on what is created. */
  readonly session?: string | undefined
  /** Whether named volumes carry the session too (a test-scoped project); never for a run of the CLI. */
  readonly reapVolumes?: boolean | undefined
  readonly onProgress?: OnProgress | undefined
  /** Every network and volume the files declare, not only those the enabled services use (`--all-resources`). */
  readonly allResources?: boolean | undefined
}

/**
 * Creates the networks and named volumes the enabled services use (all the files declare, with
 * `allResources`), unless they exist; external ones must exist. What carries `session` is removed
 * by that session's reaper; named volumes carry it only when `reapVolumes` says so.
 */
export async function ensureResources(
  engine: Engine,
  project: ComposeProject,
  created: CreatedResources,
  { session, reapVolumes = true, onProgress, allResources = false }: ResourceOptions = {},
): Promise<void> {
  const services = Object.values(project.services)
  const docker = engine.container.dockerode
  const networkKeys = new Set([
    ...services.flatMap((s) => Object.keys(s.networks)),
    ...(allResources ? Object.keys(project.networks) : []),
  ])
  // Both asked at once: neither answer depends on what the other branch creates.
  const [networks, volumes] = await Promise.all([docker.listNetworks(), docker.listVolumes()])
  const existingNetworks = new Set(networks.map((n) => n.Name))
  for (const key of networkKeys) {
    const network = project.networks[key]!
    if (existingNetworks.has(network.name)) continue
    if (network.external) throw missingExternal('network', key, network.name)
    await reported(onProgress, `Network ${network.name}`, ['Creating', 'Created'], () =>
      docker.createNetwork({
        Name: network.name,
        CheckDuplicate: true,
        Driver: network.driver ?? 'bridge',
        Internal: network.internal,
        Labels: {
          ...network.labels,
          ...networkLabels(project.name, key, session),
          [LABEL.configHash]: networkHash(network),
        },
        ...networkOptions(network),
      }),
    )
    created.networks.push(network.name)
  }
  const volumeKeys = new Set([
    ...services.flatMap((s) => s.volumes.flatMap((m) => (m.type === 'volume' && m.source ? [m.source] : []))),
    ...(allResources ? Object.keys(project.volumes) : []),
  ])
  const existingVolumes = new Set((volumes.Volumes ?? []).map((v) => v.Name))
  for (const key of volumeKeys) {
    const volume = project.volumes[key]!
    if (existingVolumes.has(volume.name)) continue
    if (volume.external) throw missingExternal('volume', key, volume.name)
    await reported(onProgress, `Volume ${volume.name}`, ['Creating', 'Created'], () =>
      docker.createVolume({
        Name: volume.name,
        Driver: volume.driver ?? 'local',
        ...(volume.driverOpts && { DriverOpts: { ...volume.driverOpts } }),
        Labels: {
          ...volume.labels,
          ...volumeLabels(project.name, key, reapVolumes ? session : undefined),
          [LABEL.configHash]: volumeHash(volume),
        },
      }),
    )
    created.volumes.push(volume.name)
  }
}

interface IpamPool {
  subnet?: string
  ip_range?: string
  gateway?: string
  aux_addresses?: Record<string, string>
}

/** `ipam`, `driver_opts`, `attachable` and `enable_ipv6` as Compose v2 hands them to the engine. */
function networkOptions({ options }: NetworkSpec): Record<string, unknown> {
  const ipam = options.ipam as { driver?: string; config?: IpamPool[]; options?: Record<string, string> } | undefined
  return {
    ...(ipam && {
      IPAM: {
        Driver: ipam.driver ?? 'default',
        Config: (ipam.config ?? []).map((p) => ({
          Subnet: p.subnet,
          IPRange: p.ip_range,
          Gateway: p.gateway,
          AuxiliaryAddresses: p.aux_addresses,
        })),
        ...(ipam.options && { Options: ipam.options }),
      },
    }),
    ...(options.driver_opts !== undefined && { Options: options.driver_opts }),
    ...(options.attachable !== undefined && { Attachable: options.attachable }),
    ...(options.enable_ipv6 !== undefined && { EnableIPv6: options.enable_ipv6 }),
  }
}

function missingExternal(kind: 'network' | 'volume', key: string, name: string): ResourceError {
  return new ResourceError(
    `the external ${kind} "${key}" (${name}) does not exist: create it first, or drop external: true`,
  )
}

/** Removes what this `up` created, best effort: it runs while another error is on its way to the user. */
export async function removeResources(engine: Engine, created: CreatedResources): Promise<void> {
  const docker = engine.container.dockerode
  await Promise.allSettled(created.networks.map((n) => removeNetwork(engine, n)))
  await Promise.allSettled(created.volumes.map((v) => docker.getVolume(v).remove()))
}
