import type { TestProject } from 'vitest/node'
import { Compose } from '../../../harness/index.js'
import { connectEngine, type Engine } from '../../../harness/runtime/engine/engine.js'
import { onThisMachine } from '../../../harness/runtime/engine/publish-address.js'
import { ensureReaperImage } from '../../../harness/runtime/reaper/reaper.js'
import { processAlive } from '../../support/process-alive.js'
import { cgroupTreesStartingWith, removeCgroupTrees } from './cgroup-trees.js'
import { buildKept } from './kept-images.js'
import { ECHO_BUILD_FILE, ECHO_FILE, PROBE_IMAGES_FILE, TEST_PROJECT_PREFIX } from './test-projects.js'

declare module 'vitest' {
  export interface ProvidedContext {
    engineReady: boolean
  }
}

const PROJECT_LABEL = 'com.docker.compose.project'
/** A container, network and volume that belong to someone else (the developer's own database, say). */
const FOREIGN = `compose-harness-foreign-${process.pid}`

/**
 * Builds the echo images once for the whole run (the specs then use the example's file, which
 * expects them to exist), and afterwards fails the run if any spec left something of a test
 * project behind. What is a test project's is told by its label alone (the project names every
 * spec uses start with TEST_PROJECT_PREFIX): the engine is shared with the user's own containers,
 * and a foreign container, network and volume started beside the suite must survive it.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const engine = await connectEngine().catch((error: unknown) => {
    if (process.env.CI === 'true') throw error
    return undefined
  })
  project.provide('engineReady', engine !== undefined)
  if (!engine) return async () => {}
  const docker = engine.container.dockerode
  await buildKept(Compose.fromFiles(ECHO_FILE, ECHO_BUILD_FILE))
  await buildKept(Compose.fromFiles(PROBE_IMAGES_FILE))
  await ensureReaperImage(engine)
  // What a killed earlier run of the suite left (its engine stopped under it, say) is not this run's to report.
  await removeTestProjects(docker)
  await removeOrphanCgroupTrees(engine)
  await removeStaleForeign(docker)
  await docker.createVolume({ Name: FOREIGN })
  await docker.createNetwork({ Name: FOREIGN })
  const foreign = await docker.createContainer({
    name: FOREIGN,
    Image: 'compose-harness-probe',
    Cmd: ['sleep', 'infinity'],
    HostConfig: { Init: true, NetworkMode: FOREIGN, Binds: [`${FOREIGN}:/data`] },
  })
  await foreign.start()
  return async () => {
    try {
      const leaked = [...(await removeTestProjects(docker)), ...(await removeOrphanCgroupTrees(engine))]
      const survived = await foreignSurvived(docker)
      if (survived.includes(false))
        throw new Error(
          `the suite removed (or stopped) what was not its own: container, network, volume ${FOREIGN} survived: ${survived.join(', ')}`,
        )
      if (leaked.length > 0)
        throw new Error(`specs left ${leaked.length} thing(s) behind (now removed, unless said): ${leaked.join(', ')}`)
    } finally {
      await removeForeign(docker)
      await removeTestDanglingImages(docker)
    }
  }
}

/**
 * Removes the images of test projects that a rebuild under the same tag left without one (a
 * fixture's image built again each run): dangling, labelled with a test project, used by nothing.
 */
async function removeTestDanglingImages(docker: Docker): Promise<void> {
  const dangling = await docker.listImages({ filters: { dangling: ['true'], label: [PROJECT_LABEL] } })
  const ours = dangling.filter((i) => i.Labels?.[PROJECT_LABEL]?.startsWith(TEST_PROJECT_PREFIX))
  await Promise.allSettled(ours.map((i) => docker.getImage(i.Id).remove()))
}

type Docker = Awaited<ReturnType<typeof connectEngine>>['container']['dockerode']

/**
 * Removes what any test project left (told by its label alone) and names it, with the engine's
 * answer where it refused to remove it.
 */
async function removeTestProjects(docker: Docker): Promise<string[]> {
  const ours = (labels: Record<string, string> | null | undefined) =>
    labels?.[PROJECT_LABEL]?.startsWith(TEST_PROJECT_PREFIX) === true
  const filters = { label: [PROJECT_LABEL] }
  const containers = (await docker.listContainers({ all: true, filters })).filter((c) => ours(c.Labels))
  const networks = (await docker.listNetworks({ filters })).filter((n) => ours(n.Labels))
  const volumes = ((await docker.listVolumes({ filters })).Volumes ?? []).filter((v) => ours(v.Labels))
  const named = async (what: string, removal: Promise<unknown>) =>
    removal.then(
      () => what,
      (error: unknown) => `${what} (not removed: ${error instanceof Error ? error.message : String(error)})`,
    )
  return [
    ...(await Promise.all(
      containers.map((c) =>
        named(`container ${c.Names[0]}`, docker.getContainer(c.Id).remove({ force: true, v: true })),
      ),
    )),
    ...(await Promise.all(networks.map((n) => named(`network ${n.Name}`, docker.getNetwork(n.Id).remove())))),
    ...(await Promise.all(volumes.map((v) => named(`volume ${v.Name}`, docker.getVolume(v.Name).remove())))),
  ]
}

/**
 * Removes the cgroup trees of Docker-in-Docker engines (named after their container, a test
 * project's) whose container is gone, and names them: a run killed before its engine's removal
 * leaves them in this machine's cgroup hierarchy. Only where the suite's engine is this machine's:
 * the engine matrix runs the suite against an engine inside one of those containers, which knows
 * nothing of them.
 */
async function removeOrphanCgroupTrees(engine: Engine): Promise<string[]> {
  if (!(await onThisMachine(engine.info.containerRuntime.host))) return []
  const docker = engine.container.dockerode
  const prefix = `${TEST_PROJECT_PREFIX}dind-`
  const running = await docker.listContainers({ all: true, filters: { name: [prefix] } })
  const containers = new Set(running.flatMap((c) => c.Names.map((n) => n.replace(/^\//, ''))))
  const orphans = cgroupTreesStartingWith(prefix).filter((name) => !containers.has(name))
  return Promise.all(
    orphans.map(async (name) =>
      (await removeCgroupTrees(name, 2_000)) ? `cgroup tree /${name}` : `cgroup tree /${name} (not removed: in use)`,
    ),
  )
}

/** Whether the foreign container still runs, and its network and volume still exist. */
async function foreignSurvived(docker: Docker): Promise<boolean[]> {
  const exists = (inspected: Promise<unknown>) =>
    inspected.then(
      () => true,
      () => false,
    )
  return Promise.all([
    docker
      .getContainer(FOREIGN)
      .inspect()
      .then(
        (c) => c.State.Running,
        () => false,
      ),
    exists(docker.getNetwork(FOREIGN).inspect()),
    exists(docker.getVolume(FOREIGN).inspect()),
  ])
}

/** The foreign trio of an earlier run whose process was killed before its teardown (its pid is gone). */
async function removeStaleForeign(docker: Docker): Promise<void> {
  const stale = (name: string) => {
    const pid = /^\/?compose-harness-foreign-(\d+)$/.exec(name)?.[1]
    return pid !== undefined && !processAlive(Number(pid))
  }
  const containers = await docker.listContainers({ all: true, filters: { name: ['compose-harness-foreign-'] } })
  const names = new Set(containers.flatMap((c) => c.Names).filter(stale))
  const networks = (await docker.listNetworks({ filters: { name: ['compose-harness-foreign-'] } })).map((n) => n.Name)
  const volumes = ((await docker.listVolumes({ filters: { name: ['compose-harness-foreign-'] } })).Volumes ?? []).map(
    (v) => v.Name,
  )
  for (const name of [...networks, ...volumes]) if (stale(name)) names.add(name)
  for (const name of names) await removeForeign(docker, name.replace(/^\//, ''))
}

async function removeForeign(docker: Docker, name = FOREIGN): Promise<void> {
  await docker
    .getContainer(name)
    .remove({ force: true })
    .catch(() => {})
  await docker
    .getNetwork(name)
    .remove()
    .catch(() => {})
  await docker
    .getVolume(name)
    .remove()
    .catch(() => {})
}
