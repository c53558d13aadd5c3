import Dockerode, { type HostConfig } from 'dockerode'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { Compose } from '../../../harness/index.js'
import { containerAddress } from '../../../harness/runtime/engine/endpoint.js'
import { connectEngine } from '../../../harness/runtime/engine/engine.js'
import { REAPER_IMAGE } from '../../../harness/runtime/reaper/reaper.js'
import { eventually } from '../../support/eventually.js'
import { uniqueProjectName } from './test-projects.js'
import { writeEngineCertificates } from './engine-certificates.js'
import { buildKept } from './kept-images.js'
import { removeCgroupTrees } from './cgroup-trees.js'

const ENGINE_IMAGE_FILE = resolve('fixtures/remote-engine/engine.yml')
const ENGINE_PORT = 2375
/** Where the engine answers over TLS (`tls: true`), as docker:dind does. */
const ENGINE_TLS_PORT = 2376
/** What the inner engine is given, as GitLab CI's docker:dind is given a base image by `docker load`. */
const LOADED_IMAGES = ['debian:bookworm', 'compose-harness-probe', REAPER_IMAGE]

/**
 * The Debian suite whose docker.io an engine runs: bookworm's 20.10 (this machine's own), trixie's
 * 26.1, sid's 28.5 (fixtures/remote-engine/dind.Dockerfile).
 */
export type EngineSuite = 'bookworm' | 'trixie' | 'sid'

/** A second engine, in a container of this machine's engine, reached over TCP. */
export interface RemoteEngine extends AsyncDisposable {
  /** `tcp://ADDRESS:2375` (`tcp://ADDRESS:2376` over TLS), for DOCKER_HOST. */
  readonly url: string
  /** Over TLS: the client's directory (ca.pem, cert.pem, key.pem), for DOCKER_CERT_PATH. */
  readonly certs?: string
  /** The address the engine is reached at: the one its published ports answer on. */
  readonly address: string
  readonly docker: Dockerode
  /** Stops the inner dockerd as a service manager does (SIGTERM: it stops its containers, then exits); resolves once it answers again. */
  restart(): Promise<void>
  /** The container's state and the last lines of its output (the inner dockerd's): what to print when a run on it failed. */
  diagnosis(): Promise<string>
  /** Copies `image` of this machine's engine into the inner one. */
  load(image: string): Promise<void>
}

interface EngineMode {
  readonly how: string
  readonly host: HostConfig
  readonly env: readonly string[]
  /** Under a cgroup parent named after the container (its inner engine's containers too), removed with it. */
  readonly ownCgroupParent?: boolean
}

/**
 * How the engine's container is run. `--privileged` where the engine allows it (as GitLab CI runs
 * docker:dind), with the cgroups nested by the entrypoint on a cgroup v2 host. Where it is refused,
 * as in this sandbox (it lacks CAP_SYS_RESOURCE), every other capability, seccomp, AppArmor and the
 * masked /proc paths unconfined, and the host's cgroup v1 tree writable under a cgroup parent of
 * its own.
 */
function engineModes(cgroupVersion: string): EngineMode[] {
  const privileged = { how: '--privileged', host: { Privileged: true }, env: ['NEST_CGROUPS=1'] }
  const capabilities = {
    how: '--cap-add ALL --cap-drop SYS_RESOURCE with a writable cgroup v1 tree',
    host: {
      CapAdd: ['ALL'],
      CapDrop: ['SYS_RESOURCE'],
      SecurityOpt: ['seccomp=unconfined', 'apparmor=unconfined'],
      // `--security-opt systempaths=unconfined`, as the engine's API has it.
      MaskedPaths: [],
      ReadonlyPaths: [],
      Binds: ['/sys/fs/cgroup:/sys/fs/cgroup:rw'],
    },
    env: [],
    ownCgroupParent: true,
  }
  return cgroupVersion === '1' ? [privileged, capabilities] : [privileged]
}

/**
 * Starts a second engine in a container of this machine's engine, reached over TCP, in the first
 * way of `engineModes` that this machine allows. The container is labelled as a test project, so
 * the suite's teardown finds it if a spec leaks it. Its image is built here; the images the specs
 * need are loaded into it. The `shared` folders of this machine are seen at the same paths by the
 * inner engine, so that binds of files under them work there as here. The inner engine stores
 * images with overlay2 on a volume of its own; `storage: 'vfs'` asks for vfs, a copy of an image for
 * each container, some seconds slower each; `imageStore: 'containerd'` for containerd's image
 * store (an image for several platforms); `tls: true` serves the engine over TLS on 2376, the
 * client's certificate checked, as GitLab CI's docker:dind does (its certificates in a directory of
 * this machine's, removed with the engine). Rejects, saying each way tried and why it failed, when
 * none works.
 */
export async function startDockerInDocker(
  suite: EngineSuite = 'bookworm',
  shared: readonly string[] = [],
  {
    storage,
    imageStore,
    tls,
  }: { readonly storage?: 'vfs'; readonly imageStore?: 'containerd'; readonly tls?: boolean } = {},
): Promise<RemoteEngine> {
  const outer = (await connectEngine()).container.dockerode
  const image = `compose-harness-dind:${suite}`
  await buildKept(
    Compose.fromSettings({
      files: [ENGINE_IMAGE_FILE],
      environment: { ...process.env, DIND_SUITE: suite },
    }),
  )
  const { CgroupVersion } = (await outer.info()) as { CgroupVersion?: string }
  const refusals: string[] = []
  for (const mode of engineModes(CgroupVersion ?? '1')) {
    const name = uniqueProjectName(`dind-${suite}`)
    const certs = tls ? mkdtempSync(join(tmpdir(), 'compose-harness-engine-tls-')) : undefined
    const container = await outer.createContainer({
      name,
      Image: image,
      Env: [
        ...mode.env,
        ...(storage ? [`STORAGE_DRIVER=${storage}`] : []),
        ...(imageStore ? [`IMAGE_STORE=${imageStore}`] : []),
        ...(certs ? ['TLS_CERTDIR=/certs'] : []),
        ...(mode.ownCgroupParent ? [`CGROUP_PARENT=/${name}/engine`] : []),
      ],
      Labels: { 'com.docker.compose.project': name },
      HostConfig: {
        ...mode.host,
        Binds: [
          ...(mode.host.Binds ?? []),
          ...shared.map((dir) => `${dir}:${dir}`),
          ...(certs ? [`${certs}:/certs`] : []),
        ],
        ...(mode.ownCgroupParent && { CgroupParent: `/${name}` }),
      },
    })
    const dispose = async (): Promise<void> => {
      await container.remove({ force: true, v: true }).catch(() => {})
      if (mode.ownCgroupParent) await removeCgroupTrees(name)
      if (certs) rmSync(certs, { recursive: true, force: true })
    }
    try {
      await container.start()
    } catch (error) {
      refusals.push(`${mode.how}: ${error instanceof Error ? error.message.trim() : String(error)}`)
      await dispose()
      continue
    }
    try {
      const address = containerAddress(await container.inspect()) ?? ''
      if (certs) writeEngineCertificates(certs, address)
      const client = certs && join(certs, 'client')
      const port = client ? ENGINE_TLS_PORT : ENGINE_PORT
      const docker = new Dockerode({
        host: address,
        port,
        ...(client && {
          protocol: 'https' as const,
          ca: readFileSync(join(client, 'ca.pem')),
          cert: readFileSync(join(client, 'cert.pem')),
          key: readFileSync(join(client, 'key.pem')),
        }),
      })
      await answering(docker, `${address}:${port}`, container)
      for (const image of LOADED_IMAGES) await copyImage(outer, docker, image)
      const restart = async (): Promise<void> => {
        const stop = await container.exec({ Cmd: ['sh', '-c', 'kill "$(cat /var/run/docker.pid)"'] })
        await stop.start({ Detach: true })
        const down = await eventually(
          () =>
            docker.ping().then(
              () => false,
              () => true,
            ),
          (gone) => gone,
          60_000,
          100,
        )
        if (!down) throw new Error(`the Docker-in-Docker engine at ${address} did not stop within 60 s`)
        await answering(docker, `${address}:${port}`, container)
      }
      const diagnosis = async (): Promise<string> => {
        const { State } = await container.inspect()
        const logs = await container.logs({ stdout: true, stderr: true, tail: 40 })
        return `${name}: ${State.Status} (exit code ${State.ExitCode}${State.OOMKilled ? ', killed out of memory' : ''}${State.Error ? `, ${State.Error}` : ''}); its last lines:\n${demuxed(logs)}`
      }
      return {
        url: `tcp://${address}:${port}`,
        ...(client && { certs: client }),
        address,
        docker,
        restart,
        diagnosis,
        load: (image) => copyImage(outer, docker, image),
        [Symbol.asyncDispose]: dispose,
      }
    } catch (error) {
      await dispose()
      throw error
    }
  }
  throw new Error(
    `no way to run Docker-in-Docker on this engine (cgroup v${CgroupVersion}):\n  ${refusals.join('\n  ')}`,
  )
}

/**
 * For a spec's `beforeAll`: a second engine, or why this machine cannot run one (the spec then
 * skips with it), except under CI=true, where that is a failure.
 */
export async function dockerInDockerOrWhyNot(
  options: Parameters<typeof startDockerInDocker>[2] = {},
  suite: EngineSuite = 'bookworm',
): Promise<{ remote?: RemoteEngine; unavailable: string }> {
  try {
    return { remote: await startDockerInDocker(suite, [], options), unavailable: '' }
  } catch (error) {
    if (process.env.CI === 'true') throw error
    return {
      unavailable: `this machine cannot run Docker-in-Docker: ${error instanceof Error ? error.message : String(error)}`,
    }
  }
}

/** What a process of the harness is given to talk to `remote`, as a CI job names its engine (none of this machine's overrides). */
export function remoteEnvironment(remote: RemoteEngine): NodeJS.ProcessEnv {
  return {
    DOCKER_HOST: remote.url,
    DOCKER_TLS_VERIFY: remote.certs && '1',
    DOCKER_CERT_PATH: remote.certs,
    TESTCONTAINERS_HOST_OVERRIDE: undefined,
    COMPOSE_HARNESS_PUBLISH_ADDRESS: undefined,
  }
}

/** Resolves once the inner engine answers; rejects with its last lines after 60 s. */
async function answering(docker: Dockerode, address: string, container: Dockerode.Container): Promise<void> {
  const answers = await eventually(
    () =>
      docker.ping().then(
        () => true,
        () => false,
      ),
    (ok) => ok,
    60_000,
    250,
  )
  if (answers) return
  const logs = (await container.logs({ stdout: true, stderr: true, tail: 20 })).toString()
  throw new Error(`the Docker-in-Docker engine did not answer at ${address} within 60 s:\n${logs}`)
}

/** `docker save IMAGE | docker -H INNER load`, through the two engines' APIs. */
async function copyImage(from: Dockerode, to: Dockerode, image: string): Promise<void> {
  const loading = await to.loadImage(await from.getImage(image).get())
  await new Promise<void>((done, fail) =>
    to.modem.followProgress(loading, (error: Error | null) => (error ? fail(error) : done())),
  )
}

/** A container's log as the engine sends it without a terminal (8-byte frame headers), as text. */
function demuxed(raw: Buffer): string {
  const parts: Buffer[] = []
  for (let at = 0; at + 8 <= raw.length;) {
    const size = raw.readUInt32BE(at + 4)
    parts.push(raw.subarray(at + 8, at + 8 + size))
    at += 8 + size
  }
  return Buffer.concat(parts).toString()
}
