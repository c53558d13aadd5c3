import type { Engine } from '../engine/engine.js'
import { LABEL, SESSION_LABEL } from '../engine/labels.js'

/** A container the engine already has for a project, as its labels describe it. */
export interface ExistingContainer {
  readonly id: string
  readonly name: string
  readonly service: string
  readonly number: number
  readonly configHash: string
  readonly imageId: string
  readonly running: boolean
  /** The engine's words, such as `Up 3 seconds` or `Exited (1) 2 seconds ago`. */
  readonly status: string
  /** `running`, `exited`, `paused`, `restarting`… */
  readonly state: string
  readonly image: string
  /** The session of the process whose reaper covers it; undefined for what `up -d` created. */
  readonly session?: string
  /** Services this one waits for, from Compose's `depends_on` label. */
  readonly dependsOn: readonly string[]
  /** Those of them with `restart: true` (links included): restarting one restarts this one. */
  readonly restartsWith: readonly string[]
  /** Its ports: exposed ones (`hostIp` and `published` absent) and published ones. */
  readonly ports: readonly ContainerPort[]
  /** The engine's names of the networks it is attached to. */
  readonly networks: readonly string[]
  /** How its main process ended, once it has (`Exited (N) …`). */
  readonly exitCode?: number
  /** What it runs, as the engine lists it (entrypoint and command, joined). */
  readonly command: string
  /** When it was created, in seconds since the epoch. */
  readonly created: number
}

export interface ContainerPort {
  readonly target: number
  readonly protocol: string
  readonly hostIp?: string
  readonly published?: number
}

export async function listProjectContainers(
  engine: Engine,
  project: string,
  /** The one-off containers of `run` instead of the services' own. */
  oneOff = false,
): Promise<ExistingContainer[]> {
  const infos = await engine.container.dockerode.listContainers({
    all: true,
    filters: { label: [`${LABEL.project}=${project}`, `${LABEL.oneoff}=${oneOff ? 'True' : 'False'}`] },
  })
  return infos.map((info) => {
    const labels = info.Labels ?? {}
    const dependencies = (labels[LABEL.dependsOn] ?? '')
      .split(',')
      .filter(Boolean)
      .map((d) => d.split(':'))
    const exited = /^Exited \((-?\d+)\)/.exec(info.Status)
    return {
      id: info.Id,
      name: (info.Names[0] ?? '').replace(/^\//, ''),
      service: labels[LABEL.service] ?? '',
      number: Number(labels[LABEL.number] ?? 1),
      configHash: labels[LABEL.configHash] ?? '',
      imageId: labels[LABEL.image] ?? '',
      running: info.State === 'running',
      status: info.Status,
      state: info.State,
      image: info.Image,
      ...(labels[SESSION_LABEL] && { session: labels[SESSION_LABEL] }),
      dependsOn: dependencies.map(([name]) => name!),
      restartsWith: dependencies.filter(([, , restart]) => restart === 'true').map(([name]) => name!),
      ports: (info.Ports ?? []).map((p) => ({
        target: p.PrivatePort,
        protocol: p.Type,
        ...(p.PublicPort ? { hostIp: p.IP ?? '', published: p.PublicPort } : {}),
      })),
      networks: Object.keys(info.NetworkSettings?.Networks ?? {}),
      ...(exited && { exitCode: Number(exited[1]) }),
      command: info.Command,
      created: info.Created,
    }
  })
}

export async function listProjectNetworks(engine: Engine, project: string): Promise<{ id: string; name: string }[]> {
  const networks = await engine.container.dockerode.listNetworks({
    filters: { label: [`${LABEL.project}=${project}`] },
  })
  return networks.map((n) => ({ id: n.Id, name: n.Name }))
}

export function groupByService(containers: readonly ExistingContainer[]): Map<string, ExistingContainer[]> {
  const by = new Map<string, ExistingContainer[]>()
  for (const c of containers) by.set(c.service, [...(by.get(c.service) ?? []), c])
  return by
}

/**
 * Those of `containers` that are not running, each asked of the engine itself, as Compose v2's
 * `rm` asks: the list can show a container still running a moment after its stop (newer engines
 * serve it from a view that lags). One already gone is left out.
 */
export async function notRunning<C extends Pick<ExistingContainer, 'id'>>(
  engine: Engine,
  containers: readonly C[],
): Promise<C[]> {
  const running = await Promise.all(
    containers.map((c) =>
      engine.container.dockerode
        .getContainer(c.id)
        .inspect()
        .then(
          (i) => i.State.Running,
          () => undefined,
        ),
    ),
  )
  return containers.filter((_, i) => running[i] === false)
}
