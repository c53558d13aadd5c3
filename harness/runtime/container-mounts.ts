import type { HostConfig } from 'dockerode'
import type { ComposeProject, MountSpec, ServiceSpec } from '../model/types.js'

const PROPAGATIONS = ['shared', 'slave', 'private', 'rshared', 'rslave', 'rprivate']

/**
 * A service's mounts asked of the engine as Compose v2 asks: a short-syntax bind as a `Binds`
 * entry (only that API creates a missing host path), every other volume, bind and tmpfs as a
 * `Mounts` entry (a long-syntax bind to a missing path then fails, as in v2), the `tmpfs` key as `Tmpfs`.
 */
export function containerMounts(
  service: ServiceSpec,
  project: ComposeProject,
): Pick<HostConfig, 'Binds' | 'Mounts' | 'Tmpfs'> {
  const binds = service.volumes.filter((m) => m.type === 'bind' && m.createHostPath).map(bindEntry)
  const mounts = service.volumes
    .filter((m) => !(m.type === 'bind' && m.createHostPath))
    .map((m) => mountEntry(m, project))
  const tmpfs = Object.fromEntries(
    service.tmpfs.map((t) => {
      const [target, options = ''] = t.split(/:(.*)/s)
      return [target!, options]
    }),
  )
  return {
    ...(binds.length > 0 && { Binds: binds }),
    ...(mounts.length > 0 && { Mounts: mounts as HostConfig['Mounts'] }),
    ...(service.tmpfs.length > 0 && { Tmpfs: tmpfs }),
  }
}

function bindEntry(m: MountSpec): string {
  const options = [
    m.readOnly ? 'ro' : 'rw',
    ...(m.options ?? []).filter((o) => o === 'z' || o === 'Z' || PROPAGATIONS.includes(o)),
  ]
  return `${m.source}:${m.target}:${options.join(',')}`
}

/** The engine's mount, as its API takes it (dockerode's type makes optional fields required). */
interface EngineMount {
  Type: MountSpec['type']
  Source: string
  Target: string
  ReadOnly: boolean
  VolumeOptions?: { NoCopy?: boolean; Subpath?: string }
  BindOptions?: { Propagation: string }
}

function mountEntry(m: MountSpec, project: ComposeProject): EngineMount {
  const propagation = m.options?.find((o) => PROPAGATIONS.includes(o))
  return {
    Type: m.type,
    Source: m.type === 'volume' && m.source ? (project.volumes[m.source]?.name ?? m.source) : (m.source ?? ''),
    Target: m.target,
    ReadOnly: m.readOnly,
    ...(m.type === 'volume' &&
      (m.options?.includes('nocopy') || m.subpath !== undefined) && {
        VolumeOptions: {
          ...(m.options?.includes('nocopy') && { NoCopy: true }),
          ...(m.subpath !== undefined && { Subpath: m.subpath }),
        },
      }),
    ...(m.type === 'bind' && propagation && { BindOptions: { Propagation: propagation } }),
  }
}
