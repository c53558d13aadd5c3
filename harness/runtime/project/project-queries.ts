import type { Engine } from '../engine/engine.js'
import { splitImageReference } from '../images/image-reference.js'
import { LABEL } from '../engine/labels.js'
import type { ExistingContainer } from './project-containers.js'

/** A project the engine has containers of, as `compose ls` shows it. */
export interface ProjectSummary {
  readonly name: string
  /** Its containers' states with their counts, as Compose v2 writes them: `exited(1), running(2)`. */
  readonly status: string
  /** The compose files it was brought up from, comma-separated, as its containers' label has them. */
  readonly configFiles: string
}

/** Every project on the engine (by Compose's labels, whichever tool started it); with `all`, those with no running container too. */
export async function listProjects(engine: Engine, all = false): Promise<ProjectSummary[]> {
  const containers = await engine.container.dockerode.listContainers({
    all: true,
    filters: { label: [LABEL.project] },
  })
  const projects = new Map<string, { states: Map<string, number>; configFiles: string }>()
  for (const c of containers) {
    const name = c.Labels[LABEL.project]!
    const project = projects.get(name) ?? { states: new Map(), configFiles: c.Labels[LABEL.configFiles] ?? '' }
    project.states.set(c.State, (project.states.get(c.State) ?? 0) + 1)
    projects.set(name, project)
  }
  return [...projects]
    .filter(([, p]) => all || p.states.has('running'))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, p]) => ({
      name,
      status: [...p.states]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([state, count]) => `${state}(${count})`)
        .join(', '),
      configFiles: p.configFiles,
    }))
}

/** The image a container of the project runs, as `compose images` shows it. */
export interface ProjectImage {
  readonly container: string
  readonly repository: string
  readonly tag: string
  readonly id: string
  /** Bytes. */
  readonly size: number
  /** `linux/amd64`, as the image says it was built for. */
  readonly platform: string
  /** When it was last tagged (built, pulled or tagged), as the engine says: ISO 8601. */
  readonly lastTagTime: string
}

/** The images of `containers`, one line a container, in their order. */
export async function projectImages(engine: Engine, containers: readonly ExistingContainer[]): Promise<ProjectImage[]> {
  return Promise.all(
    containers.map(async (c) => {
      const info = await engine.container.dockerode.getImage(c.imageId || c.image).inspect()
      const named = info.RepoTags?.find((t) => t === c.image || t === `${c.image}:latest`) ?? info.RepoTags?.[0] ?? ''
      const { repository, tag = '' } = splitImageReference(named)
      return {
        container: c.name,
        repository,
        tag,
        id: info.Id,
        size: info.Size,
        platform: [info.Os, info.Architecture, (info as { Variant?: string }).Variant].filter(Boolean).join('/'),
        lastTagTime: (info as { Metadata?: { LastTagTime?: string } }).Metadata?.LastTagTime ?? info.Created,
      }
    }),
  )
}

/** A running container's processes, as `top` shows them: the container, its service and number, the engine's column titles, one row a process. */
export interface ContainerProcesses {
  readonly container: string
  readonly service: string
  readonly number: number
  readonly titles: readonly string[]
  readonly processes: readonly (readonly string[])[]
}

/** A container's processes as the engine's `top` lists them: the column titles, then one row a process. */
export async function containerProcesses(
  engine: Engine,
  id: string,
): Promise<{ readonly titles: string[]; readonly processes: string[][] }> {
  const top = (await engine.container.dockerode.getContainer(id).top()) as { Titles: string[]; Processes: string[][] }
  return { titles: top.Titles, processes: top.Processes }
}

/** Resolves once one of the containers has stopped (at once if one already has), with its exit code. */
export async function firstExit(engine: Engine, ids: readonly string[]): Promise<number> {
  const waits = ids.map(async (id) => {
    const result = (await engine.container.dockerode.getContainer(id).wait()) as { StatusCode: number }
    return result.StatusCode
  })
  return Promise.race(waits)
}

/** A volume of the project, as `compose volumes` shows it. */
export interface ProjectVolume {
  readonly name: string
  readonly driver: string
  readonly scope: string
  readonly mountpoint: string
  readonly labels: Readonly<Record<string, string>>
}

/**
 * The project's volumes, as the engine lists them (by Compose's project label); with `services`,
 * only those that a running container of one of them mounts, as Compose v2 picks them.
 */
export async function projectVolumes(
  engine: Engine,
  project: string,
  services: readonly string[] = [],
): Promise<ProjectVolume[]> {
  const docker = engine.container.dockerode
  const filters = { label: [`${LABEL.project}=${project}`] }
  const listed = ((await docker.listVolumes({ filters })).Volumes ?? []).map((v) => ({
    name: v.Name,
    driver: v.Driver,
    scope: v.Scope,
    mountpoint: v.Mountpoint,
    labels: v.Labels ?? {},
  }))
  if (services.length === 0) return listed
  const running = await docker.listContainers({ filters })
  const mounted = new Set(
    running
      .filter((c) => services.includes(c.Labels[LABEL.service] ?? ''))
      .flatMap((c) => c.Mounts.map((m) => m.Name ?? '')),
  )
  return listed.filter((v) => mounted.has(v.name))
}
