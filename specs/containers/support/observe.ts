import type Dockerode from 'dockerode'
import type { ServiceHandle } from '../../../harness/index.js'
import { PassThrough, Writable } from 'node:stream'
import { connectEngine } from '../../../harness/runtime/engine/engine.js'
import { execStreaming } from '../../../harness/runtime/container/exec-stream.js'

/** Names of the containers, networks and volumes the engine (this machine's, unless another is given) has of a project. */
export async function leftOf(project: string, engine?: Dockerode): Promise<string[]> {
  const docker = engine ?? (await connectEngine()).container.dockerode
  const label = { label: [`com.docker.compose.project=${project}`] }
  const containers = await docker.listContainers({ all: true, filters: label })
  const networks = await docker.listNetworks({ filters: label })
  const volumes = (await docker.listVolumes({ filters: label })).Volumes ?? []
  return [...containers.map((c) => c.Names[0]!), ...networks.map((n) => n.Name), ...volumes.map((v) => v.Name)]
}

/** When the container last started, in epoch milliseconds. */
export async function startedAt(handle: ServiceHandle): Promise<number> {
  return Date.parse((await handle.inspect()).State.StartedAt)
}

/** When a file inside the container was last modified, in epoch milliseconds (nanosecond clock, same host). */
export async function fileTime(handle: ServiceHandle, path: string): Promise<number> {
  const { exitCode, stdout } = await handle.exec(['stat', '-c', '%.9Y', path])
  if (exitCode !== 0) throw new Error(`no ${path} in ${handle.name}`)
  return Number(stdout.trim()) * 1000
}

/** The addresses `name` resolves to from inside the container, sorted; empty when it does not resolve. */
export async function resolveFrom(handle: ServiceHandle, name: string): Promise<string[]> {
  const { exitCode, stdout } = await handle.exec(['getent', 'ahostsv4', name])
  if (exitCode !== 0) return []
  return [
    ...new Set(
      stdout
        .trim()
        .split('\n')
        .map((l) => l.split(/\s+/)[0]!),
    ),
  ].sort()
}

/** The container's address on each of its networks. */
export async function addressOf(handle: ServiceHandle): Promise<string[]> {
  return Object.values((await handle.inspect()).NetworkSettings.Networks).map((n) => n.IPAddress)
}

/** The reapers that process `pid` started and that are still there (a reaper removes itself once it has done its work). */
export async function reapersOf(pid: number): Promise<string[]> {
  const docker = (await connectEngine()).container.dockerode
  const reapers = await docker.listContainers({
    all: true,
    filters: { label: [`com.compose-harness.reaper.pid=${pid}`] },
  })
  return reapers.map((r) => r.Names[0]!)
}

/** The states (`running`, `exited`…) of the project's containers, in the engine's order. */
export async function statesOf(project: string): Promise<string[]> {
  const docker = (await connectEngine()).container.dockerode
  const containers = await docker.listContainers({
    all: true,
    filters: { label: [`com.docker.compose.project=${project}`] },
  })
  return containers.map((c) => c.State)
}

/** Whether the engine has an image of that name (or ID). */
export async function imageExists(name: string): Promise<boolean> {
  const docker = (await connectEngine()).container.dockerode
  return docker
    .getImage(name)
    .inspect()
    .then(
      () => true,
      () => false,
    )
}

/** What `command` prints on its standard output in the container `id` (a one-off's, say, which has no handle). */
export async function execOutput(id: string, command: readonly string[]): Promise<string> {
  let out = ''
  const stdout = new Writable({
    write: (chunk: Buffer, _encoding, done) => {
      out += chunk.toString()
      done()
    },
  })
  await execStreaming(await connectEngine(), id, command, stdout, new PassThrough().resume())
  return out
}
