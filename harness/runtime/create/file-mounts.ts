import { posix } from 'node:path'
import type { ComposeProject, FileMountSpec, ServiceSpec } from '../../model/project/types.js'

/** A file written into the container after it is created and before it starts. */
export interface InjectedFile {
  /** Absolute, in the container. */
  readonly path: string
  readonly content: string
  readonly mode: number
  readonly uid: number
  readonly gid: number
}

/** A read-only bind of a secret's or config's file, as the engine's API takes it. */
export interface FileBind {
  readonly Type: 'bind'
  readonly Source: string
  readonly Target: string
  readonly ReadOnly: true
}

/** Where Compose v2 puts a secret or config that gives no absolute target. */
const PLACES = {
  secrets: (m: FileMountSpec) => inside('/run/secrets', m.target ?? m.source),
  configs: (m: FileMountSpec) => inside('/', m.target ?? m.source),
} as const

/**
 * Pure: the service's secrets and configs as Compose v2 gives them outside Swarm. One from a file
 * is bound read-only at its target; one from an environment variable or (a config) from `content`
 * is written there with its mode (0444 unless given), uid and gid.
 */
export function fileMounts(
  service: ServiceSpec,
  project: ComposeProject,
): { readonly binds: FileBind[]; readonly files: InjectedFile[] } {
  const binds: FileBind[] = []
  const files: InjectedFile[] = []
  for (const kind of ['secrets', 'configs'] as const) {
    for (const m of service[kind]) {
      const source = project[kind][m.source]
      if (!source) continue
      const path = PLACES[kind](m)
      if (source.file !== undefined) binds.push({ Type: 'bind', Source: source.file, Target: path, ReadOnly: true })
      else {
        const content = source.content ?? source.value
        if (content !== undefined)
          files.push({ path, content, mode: m.mode ?? 0o444, uid: Number(m.uid ?? 0), gid: Number(m.gid ?? 0) })
      }
    }
  }
  return { binds, files }
}

function inside(directory: string, target: string): string {
  return posix.isAbsolute(target) ? target : posix.join(directory, target)
}
