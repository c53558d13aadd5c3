import type { Engine } from '../engine/engine.js'
import { LABEL } from '../engine/labels.js'
import { isGone, removeNetwork, statusOf } from '../engine/remove.js'
import { reported, type OnProgress } from '../engine/progress-events.js'
import { listProjectNetworks } from './project-containers.js'

/** Compose v2's word for a network or volume that `down` leaves because something still uses it. */
export const STILL_IN_USE = 'Resource is still in use'

/** The networks and named volumes (engine names) `down SERVICE` goes on to: all the project's when absent. */
export interface DownResources {
  readonly networks: readonly string[]
  readonly volumes: readonly string[]
}

/** A project network as `down SERVICE` weighs it once the services' containers are gone. */
export interface LeftNetwork {
  readonly name: string
  /** Containers the engine has on it now: running ones, the project's or not. */
  readonly attached: number
}

/**
 * Which of the project's networks `down SERVICE` removes (pure): as Compose v2, one no running
 * container is on; unlike v2, not one that a container still there names, stopped or not
 * (`down-service-keeps-what-stopped-containers-need`): v2 removes it, and those containers can
 * no longer start. The others are still in use.
 */
export function networksToRemove(
  networks: readonly LeftNetwork[],
  remaining: readonly { readonly networks: readonly string[] }[],
): string[] {
  const named = new Set(remaining.flatMap((c) => c.networks))
  return networks.filter((n) => n.attached === 0 && !named.has(n.name)).map((n) => n.name)
}

/**
 * After `down SERVICE` removed the services' containers: the removals, under way, of the project's
 * networks and (with `volumes`) named volumes that nothing uses any more, of those `resources` names
 * (all when absent), as Compose v2's `down` goes on to them; each one still in use is said so, as v2
 * says it, and left.
 */
export async function leftoverRemovals(
  engine: Engine,
  project: string,
  {
    volumes,
    resources,
    onProgress,
  }: { readonly volumes?: boolean; readonly resources?: DownResources; readonly onProgress?: OnProgress },
): Promise<Promise<unknown>[]> {
  const docker = engine.container.dockerode
  const label = `${LABEL.project}=${project}`
  const weighed = (list: readonly string[] | undefined, name: string) => list?.includes(name) ?? true
  const [networks, remaining, named] = await Promise.all([
    listProjectNetworks(engine, project).then((all) => all.filter((n) => weighed(resources?.networks, n.name))),
    docker.listContainers({ all: true, filters: { label: [label] } }),
    volumes
      ? docker
          .listVolumes({ filters: { label: [label] } })
          .then((v) => (v.Volumes ?? []).filter((v) => weighed(resources?.volumes, v.Name)))
      : [],
  ])
  // A network gone meanwhile (another `down`) is passed over.
  const inspected = await Promise.all(
    networks.map(async (n) => {
      try {
        const { Containers } = (await docker.getNetwork(n.id).inspect()) as { Containers?: Record<string, unknown> }
        return [{ ...n, attached: Object.keys(Containers ?? {}).length }]
      } catch (error) {
        if (isGone(error)) return []
        throw error
      }
    }),
  )
  const left = inspected.flat()
  const remove = networksToRemove(
    left,
    remaining.map((c) => ({ networks: Object.keys(c.NetworkSettings?.Networks ?? {}) })),
  )
  return [
    ...left.map(async (n) => {
      const id = `Network ${n.name}`
      if (!remove.includes(n.name)) return saidInUse(onProgress, id)
      await reported(onProgress, id, ['Removing', 'Removed'], () => removeNetwork(engine, n.id))
    }),
    // The engine refuses a volume a container still mounts, stopped or not (409), as v2 finds it.
    ...named.map((v) => removeUnlessInUse(onProgress, `Volume ${v.Name}`, () => docker.getVolume(v.Name).remove())),
  ]
}

/**
 * Runs `remove` between Compose v2's words for it, `Removing` then `Removed`: a resource the engine
 * says is still in use (409) is said so and left, one already gone is a warning, as v2's `down` says them.
 */
export async function removeUnlessInUse(
  onProgress: OnProgress | undefined,
  id: string,
  remove: () => Promise<unknown>,
): Promise<void> {
  onProgress?.({ id, status: 'Removing', state: 'working' })
  try {
    await remove()
    onProgress?.({ id, status: 'Removed', state: 'done' })
  } catch (error) {
    if (statusOf(error) === 409) return onProgress?.({ id, status: STILL_IN_USE, state: 'warning' })
    if (!isGone(error)) {
      onProgress?.({ id, status: 'Error while Removing', state: 'error' })
      throw error
    }
    onProgress?.({ id, status: 'Warning: No resource found to remove', state: 'done' })
  }
}

/** Compose v2's words for a resource `down` tried and left because something still uses it. */
function saidInUse(onProgress: OnProgress | undefined, id: string): void {
  onProgress?.({ id, status: 'Removing', state: 'working' })
  onProgress?.({ id, status: STILL_IN_USE, state: 'warning' })
}
