import type { HostConfig } from 'dockerode'
import { PROPAGATIONS, SELINUX_LABELS } from '../../model/fields/mount-fields.js'
import type { ComposeProject, MountSpec, ServiceSpec } from '../../model/project/types.js'

/**
 * A service's mounts asked of the engine as Compose 2.40 asks: as `Binds` entries (`SOURCE:TARGET:rw`)
 * where no option needs the engine's `Mounts` API, as `Mounts` entries otherwise (see `bindsEntry`),
 * the `tmpfs` key as `Tmpfs`.
 */
export function containerMounts(
  service: ServiceSpec,
  project: ComposeProject,
): Pick<HostConfig, 'Binds' | 'Mounts' | 'Tmpfs'> {
  const binds: string[] = []
  const mounts: EngineMount[] = []
  for (const m of service.volumes) {
    const entry = bindsEntry(m, project)
    if (entry === undefined) mounts.push(mountEntry(m, project))
    else binds.push(entry)
  }
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

/**
 * The mount as a `Binds` entry, or undefined where it needs the `Mounts` API. As Compose 2.40
 * decides: a bind takes `Binds` (the only API that creates a missing host path) unless its long
 * syntax's `bind` mapping says not to create the path, or it has a propagation; a named volume
 * takes `Binds` unless it has a `subpath` or `nocopy`; anonymous volumes, tmpfs and the rest take `Mounts`.
 */
export function bindsEntry(m: MountSpec, project: ComposeProject): string | undefined {
  const propagation = m.options?.find((o) => PROPAGATIONS.includes(o))
  const access = m.readOnly ? 'ro' : 'rw'
  if (
    m.type === 'bind' &&
    m.source !== undefined &&
    (m.createHostPath || !m.bindSettings) &&
    !propagation &&
    m.recursive === undefined
  ) {
    const selinux = (m.options ?? []).filter((o) => SELINUX_LABELS.includes(o))
    return `${m.source}:${m.target}:${[access, ...selinux].join(',')}`
  }
  const volume = m.type === 'volume' && m.source !== undefined ? project.volumes[m.source] : undefined
  if (volume && m.subpath === undefined && !m.options?.includes('nocopy') && !m.volumeLabels)
    return `${volume.name}:${m.target}:${access}`
  return undefined
}

/** The engine's mount, as its API takes it (dockerode's type makes optional fields required). */
interface EngineMount {
  Type: MountSpec['type']
  Source: string
  Target: string
  ReadOnly: boolean
  VolumeOptions?: { NoCopy?: boolean; Subpath?: string; Labels?: Record<string, string> }
  BindOptions?: BindOptions
  TmpfsOptions?: { SizeBytes?: number; Mode?: number }
  ImageOptions?: { Subpath: string }
}

interface BindOptions {
  Propagation?: string
  CreateMountpoint?: boolean
  NonRecursive?: boolean
  ReadOnlyNonRecursive?: boolean
  ReadOnlyForceRecursive?: boolean
}

/** `bind.recursive` in the engine's words: `disabled` mounts nothing under the source, `writable` and `readonly` say what of it is read-only. */
const RECURSIVE_OPTIONS: Readonly<Record<string, BindOptions>> = {
  enabled: {},
  disabled: { NonRecursive: true },
  writable: { ReadOnlyNonRecursive: true },
  readonly: { ReadOnlyForceRecursive: true },
}

function mountEntry(m: MountSpec, project: ComposeProject): EngineMount {
  const propagation = m.options?.find((o) => PROPAGATIONS.includes(o))
  return {
    Type: m.type,
    Source: m.type === 'volume' && m.source ? (project.volumes[m.source]?.name ?? m.source) : (m.source ?? ''),
    Target: m.target,
    ReadOnly: m.readOnly,
    ...(m.type === 'volume' &&
      (m.options?.includes('nocopy') || m.subpath !== undefined || m.volumeLabels) && {
        VolumeOptions: {
          ...(m.options?.includes('nocopy') && { NoCopy: true }),
          ...(m.subpath !== undefined && { Subpath: m.subpath }),
          ...(m.volumeLabels && { Labels: { ...m.volumeLabels } }),
        },
      }),
    ...(m.type === 'bind' &&
      (propagation || m.recursive || m.createHostPath) && {
        BindOptions: {
          ...(propagation && { Propagation: propagation }),
          ...(m.recursive && RECURSIVE_OPTIONS[m.recursive]),
          // API 1.42 on; an older engine creates nothing, as with Compose v2, which asks it all the same.
          ...(m.createHostPath && { CreateMountpoint: true }),
        },
      }),
    ...(m.type === 'tmpfs' &&
      m.tmpfs && {
        TmpfsOptions: {
          ...(m.tmpfs.sizeBytes !== undefined && { SizeBytes: m.tmpfs.sizeBytes }),
          ...(m.tmpfs.mode !== undefined && { Mode: m.tmpfs.mode }),
        },
      }),
    ...(m.type === 'image' && typeof m.image?.subpath === 'string' && { ImageOptions: { Subpath: m.image.subpath } }),
  }
}
