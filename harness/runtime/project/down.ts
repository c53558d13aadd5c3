import type { Engine } from '../engine/engine.js'
import { dependentsFirst, ofServices, withDependents } from './dependents-first.js'
import { LABEL } from '../engine/labels.js'
import { listProjectContainers, listProjectNetworks, type ExistingContainer } from './project-containers.js'
import { leftoverRemovals, removeUnlessInUse, type DownResources } from './leftovers.js'
import { imagesToRemove, servicesOfContainers } from './down-images.js'
import type { PrunedService } from './images-to-prune.js'
import { stopAfterHooks, type HooksOf } from '../container/hooks.js'
import { deleteContainer, isGone, removeContainer, removeNetwork } from '../engine/remove.js'
import { rejections, throwFailures } from '../engine/runtime-errors.js'
import { containerId, reported, type OnProgress } from '../engine/progress-events.js'

export interface DownOptions {
  readonly timeoutS?: number
  /** Also remove the project's named volumes (`down -v`); anonymous ones always go with their containers. */
  readonly volumes?: boolean
  /**
   * Only these services' containers, then the project's networks (and with `volumes`, named volumes)
   * that nothing uses any more, as Compose v2 goes on to them (all of them, when absent).
   */
  readonly services?: readonly string[]
  /**
   * `services` take what depends on them with them: Compose v2 does so for a project known by its
   * name alone (`-p NAME down db`, the services read from the containers' labels), not for one
   * read from its files, where only the services named go.
   */
  readonly withDependents?: boolean
  /** The services' hooks, from their files: `pre_stop` runs before each container is stopped. */
  readonly hooks?: HooksOf
  /**
   * Also remove the project's images (`down --rmi`), as Compose v2 picks them: `local`, those built
   * for it (labelled with the project, or under its default name `<project>-<service>`); `all`, every
   * image a service names too; of the services `serviceImages` gives. One still in use stays.
   */
  readonly rmi?: 'local' | 'all'
  /**
   * The services whose images `rmi` weighs, with the image each names: from the files, those of
   * `services` and their dependencies (all without `services`); from the containers when absent (a
   * project known by its name).
   */
  readonly serviceImages?: readonly PrunedService[]
  /**
   * With `services`, the networks and named volumes (engine names) it goes on to, as Compose v2
   * reads them from the files: those the services and their dependencies use. All the project's when
   * absent (a project known by its name).
   */
  readonly resources?: DownResources
  /**
   * Called when a whole-project `down` finds nothing to remove, as Compose v2 warns then: no
   * container, and none of the networks, volumes and images it goes on to (for a project read from
   * its files, v2 goes on to each network the files give, whether the engine has it or not).
   */
  readonly onNothingFound?: (project: string) => void
  /** `--remove-orphans`: `rmi` also takes the labelled images of services no longer in the files. */
  readonly removeOrphans?: boolean
  /** How the project's default image names are joined (`_` under `--compatibility`: `<project>_<service>`). */
  readonly nameSeparator?: '-' | '_'
  /** Each container, network, volume and image as it is stopped and removed, in Compose v2's words. */
  readonly onProgress?: OnProgress
}

/**
 * Removes every container of the project (or of `services`), each only after the containers that
 * depend on it; then its networks (and with `volumes`, its named volumes: for `services`, those
 * nothing uses any more) and the images `rmi` asks for, all at once.
 * The order comes from the containers' Compose labels, so no compose file is needed. Safe to call
 * again; all failures are reported together.
 */
export async function downProject(engine: Engine, project: string, asked: DownOptions = {}): Promise<void> {
  // The services' containers, listed once: for the dependents, `--rmi`'s images and the removals.
  const containers = await listProjectContainers(engine, project)
  let options = asked
  if (asked.services?.length && asked.withDependents) {
    // Known by its name, the project is what its containers say: as Compose v2, a service none of
    // them runs is passed over, and with none left there is nothing to do (networks included).
    const known = asked.services.filter((s) => containers.some((c) => c.service === s))
    if (known.length === 0) return
    options = { ...asked, services: withDependents(containers, known) }
  }
  const { services, rmi, onProgress } = options
  // Only `--rmi` needs the services' images, read before their containers go.
  const pruned = rmi && {
    project,
    rmi,
    removeOrphans: options.removeOrphans ?? false,
    services: options.serviceImages ?? servicesOfContainers(containers),
    separator: options.nameSeparator ?? '-',
  }
  const { failures, found } = await removeContainers(engine, project, containers, options)
  const images = pruned ? await imagesToRemove(engine, pruned) : []
  // As Compose v2 does, the networks, named volumes and images go all at once (a network's removal alone takes ~200 ms on Docker 20.10).
  const removals = [
    ...(services?.length
      ? await leftoverRemovals(engine, project, options)
      : await networkAndVolumeRemovals(engine, project, options)),
    ...images.map((image) =>
      removeUnlessInUse(onProgress, `Image ${image}`, () => engine.container.dockerode.getImage(image).remove()),
    ),
  ]
  const { resources, volumes } = options
  const triedFromFiles = resources && (resources.networks.length > 0 || (volumes && resources.volumes.length > 0))
  if (!services?.length && found === 0 && removals.length === 0 && !triedFromFiles) options.onNothingFound?.(project)
  failures.push(...(await settledGone(removals)))
  throwFailures(
    failures,
    services?.length
      ? `down of ${services.join(', ')} in project "${project}" left ${failures.length} thing(s) behind`
      : `down of project "${project}" left ${failures.length} thing(s) behind`,
  )
}

/**
 * Removes the project's containers (of `services`, when given): `run`'s one-offs first, then each
 * of the services' `containers` after those that depend on them. Returns what failed, and how many
 * it found.
 */
async function removeContainers(
  engine: Engine,
  project: string,
  containers: readonly ExistingContainer[],
  { timeoutS, services, hooks, onProgress }: DownOptions,
): Promise<{ failures: unknown[]; found: number }> {
  // What depends on a container only needs it stopped: its removal runs beside the next stops.
  const removals: Promise<void>[] = []
  // `run`'s one-off containers depend on the services: they go first (as v2's `down --remove-orphans`
  // removes them), with any container of a `pre_start` step that a dead run left.
  const oneOffs = [
    ...ofServices(await listProjectContainers(engine, project, true), services),
    ...(await hookContainers(engine, project, services)),
  ]
  let found = oneOffs.length
  const failures = rejections(
    await Promise.allSettled(
      oneOffs.map((c) =>
        c.name === undefined
          ? removeContainer(engine, c.id, timeoutS)
          : reported(onProgress, containerId(c.name), ['Removing', 'Removed'], () =>
              removeContainer(engine, c.id, timeoutS),
            ),
      ),
    ),
  )
  failures.push(
    ...(await dependentsFirst(containers, services, async (c) => {
      found++
      const id = containerId(c.name)
      // A failing pre_stop hook is reported, and its container removed all the same.
      try {
        await reported(onProgress, id, ['Stopping', 'Stopped'], () => stopAfterHooks(engine, c, timeoutS, hooks))
      } finally {
        removals.push(reported(onProgress, id, ['Removing', 'Removed'], () => deleteContainer(engine, c.id)))
      }
    })),
  )
  return { failures: [...failures, ...rejections(await Promise.allSettled(removals))], found }
}

/** The removals of the project's networks, and with `volumes` of its named volumes, under way. */
async function networkAndVolumeRemovals(
  engine: Engine,
  project: string,
  { volumes, onProgress }: DownOptions,
): Promise<Promise<unknown>[]> {
  const docker = engine.container.dockerode
  const [networks, named] = await Promise.all([
    listProjectNetworks(engine, project),
    volumes
      ? docker.listVolumes({ filters: { label: [`${LABEL.project}=${project}`] } }).then((v) => v.Volumes ?? [])
      : [],
  ])
  return [
    ...networks.map((n) =>
      reported(onProgress, `Network ${n.name}`, ['Removing', 'Removed'], () => removeNetwork(engine, n.id)),
    ),
    ...named.map((v) =>
      reported(onProgress, `Volume ${v.Name}`, ['Removing', 'Removed'], () => docker.getVolume(v.Name).remove()),
    ),
  ]
}

/** What failed of `removals`, leaving out what was already gone. */
async function settledGone(removals: readonly Promise<unknown>[]): Promise<unknown[]> {
  return rejections(await Promise.allSettled(removals)).filter((reason) => !isGone(reason))
}

/** The containers of `pre_start` steps left by a run that died during one (of `services`, when given). */
async function hookContainers(
  engine: Engine,
  project: string,
  services: readonly string[] | undefined,
): Promise<{ id: string; name?: string }[]> {
  const found = await engine.container.dockerode.listContainers({
    all: true,
    filters: { label: [`${LABEL.project}=${project}`, LABEL.hook] },
  })
  return found
    .filter((c) => !services?.length || services.includes(c.Labels[LABEL.service] ?? ''))
    .map((c) => ({ id: c.Id }))
}
