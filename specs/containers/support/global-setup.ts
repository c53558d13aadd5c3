import type { TestProject } from 'vitest/node'
import { Compose } from '../../../harness/index.js'
import { connectEngine } from '../../../harness/runtime/engine.js'
import { ensureReaperImage } from '../../../harness/runtime/reaper.js'
import { ECHO_BUILD_FILE, ECHO_FILE, PROBE_IMAGES_FILE } from './test-projects.js'

declare module 'vitest' {
  export interface ProvidedContext {
    engineReady: boolean
  }
}

/**
 * Builds the echo images once for the whole run (the specs then use the example's file, which
 * expects them to exist), and afterwards fails the run if any spec left a container, network or volume.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const engine = await connectEngine().catch((error: unknown) => {
    if (process.env.CI === 'true') throw error
    return undefined
  })
  project.provide('engineReady', engine !== undefined)
  if (!engine) return async () => {}
  const docker = engine.container.dockerode
  const before = new Set([
    ...(await docker.listContainers({ all: true })).map((c) => c.Id),
    ...(await docker.listNetworks()).map((n) => n.Id),
    ...((await docker.listVolumes()).Volumes ?? []).map((v) => v.Name),
  ])
  await Compose.fromFiles(ECHO_FILE, ECHO_BUILD_FILE).build('always')
  await Compose.fromFiles(PROBE_IMAGES_FILE).build('always')
  await ensureReaperImage(engine)
  return async () => {
    // Everything the run created and left is a leak, except the reapers, which go by themselves.
    const containers = (await docker.listContainers({ all: true })).filter((c) => !before.has(c.Id) && c.Labels['com.compose-harness.reaper'] !== 'true')
    const networks = (await docker.listNetworks()).filter((n) => !before.has(n.Id))
    const volumes = ((await docker.listVolumes()).Volumes ?? []).filter((v) => !before.has(v.Name))
    await Promise.allSettled(containers.map((c) => docker.getContainer(c.Id).remove({ force: true, v: true })))
    await Promise.allSettled(networks.map((n) => docker.getNetwork(n.Id).remove()))
    await Promise.allSettled(volumes.map((v) => docker.getVolume(v.Name).remove()))
    const leaked = [...containers.map((c) => `container ${c.Names[0]}`), ...networks.map((n) => `network ${n.Name}`), ...volumes.map((v) => `volume ${v.Name}`)]
    if (leaked.length > 0) throw new Error(`specs left ${leaked.length} thing(s) behind (now removed): ${leaked.join(', ')}`)
  }
}
