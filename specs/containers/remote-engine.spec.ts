import { spawnSync } from 'node:child_process'
import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { connectEngine } from '../../harness/runtime/engine/engine.js'
import { onThisMachine } from '../../harness/runtime/engine/publish-address.js'
import { runCli, startCli } from '../support/cli.js'
import { eventually } from '../support/eventually.js'
import { dockerInDockerOrWhyNot, remoteEnvironment, type RemoteEngine } from './support/docker-in-docker.js'
import { echoOnce } from './support/echo-once.js'
import { leftOf } from './support/observe.js'
import { uniqueProjectName } from './support/test-projects.js'

// The harness on an engine that is not this machine's: Docker-in-Docker reached over TCP, as
// GitLab CI's docker:dind service is (started here when the engine under test is this machine's;
// the engine under test itself when it is already elsewhere). Every command runs in a process of its own with DOCKER_HOST
// set, as a CI job runs it (testcontainers keeps one engine a process).
const FILE = resolve('fixtures/remote-engine/compose.yml')
const LOOPBACK_FILE = resolve('fixtures/remote-engine/loopback.yml')
const API_RUN = resolve('specs/containers/support/remote-api-run.ts')

let remote: RemoteEngine | undefined
/** Why this machine cannot run the second engine; under CI=true that fails the spec instead. */
let unavailable = ''

const remoteEnv = (): NodeJS.ProcessEnv => remoteEnvironment(remote!)

/** `tsx SCRIPT ARGS` against the remote engine, to its end. */
function tsx(args: readonly string[]): { code: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, ['--import', 'tsx', ...args], {
    env: { ...process.env, ...remoteEnv(), NO_COLOR: '1' },
    encoding: 'utf8',
    timeout: 240_000,
  })
  return { code: run.status, stdout: run.stdout, stderr: run.stderr }
}

describe.skipIf(!inject('engineReady'))('on an engine elsewhere (Docker-in-Docker over TCP)', () => {
  beforeAll(async () => {
    const engine = await connectEngine()
    const engineHost = engine.info.containerRuntime.host
    if (!(await onThisMachine(engineHost))) {
      // Already an engine elsewhere (the engine matrix's, GitLab CI's docker:dind): the checks run on
      // it, reached as DOCKER_HOST names it.
      const url = process.env.DOCKER_HOST
      if (url?.startsWith('tcp://')) {
        const { DOCKER_TLS_VERIFY: tls, DOCKER_CERT_PATH: certs } = process.env
        remote = {
          url,
          ...(tls && certs && { certs }),
          address: engineHost,
          docker: engine.container.dockerode,
          restart: () => Promise.reject(new Error('the engine under test is not restarted by this spec')),
          diagnosis: () => Promise.resolve('an engine this spec did not start'),
          load: () => Promise.reject(new Error('the engine under test has the images it was given')),
          [Symbol.asyncDispose]: async () => {},
        }
      } else unavailable = `the engine is elsewhere (${engineHost}) but DOCKER_HOST does not name it over TCP`
      return
    }
    const found = await dockerInDockerOrWhyNot()
    remote = found.remote
    unavailable = found.unavailable
  }, 300_000)

  afterAll(async () => {
    await remote?.[Symbol.asyncDispose]()
  })

  it('API: builds over the API, publishes where the test reaches, waits on a port and on HTTP, execs, reads logs, leaves nothing', async ({
    skip,
  }) => {
    if (!remote) return skip(unavailable)
    const project = uniqueProjectName('remote-api')
    const run = tsx([API_RUN, FILE, project])
    expect(run.code, run.stderr).toBe(0)
    const found = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as {
      serverAt: { host: string; port: number }
      webAt: { host: string; port: number }
      echoed: string
      page: string
      webHostname: string
      clientEchoes: string[]
      images: string[]
    }
    expect(found.serverAt.host).toBe(remote.address)
    expect(found.webAt.host).toBe(remote.address)
    expect(found.echoed).toBe('ping from the test')
    expect(found.page).toBe(found.webHostname)
    expect(found.clientEchoes).toEqual(['Received: Hello, world', 'Received: Hello, world'])
    expect(found.images).toEqual([`${project}-echo-server`, `${project}-client`])
    // Nothing left, the images built under the project's name included (their layers stay as cache).
    expect(await leftOf(project, remote.docker)).toEqual([])
    const images = (await remote.docker.listImages()).flatMap((i) => i.RepoTags ?? [])
    expect(images.filter((t) => t.startsWith(`${project}-`))).toEqual([])
  }, 240_000)

  it('CLI: a foreground up whose process is killed is reaped by a reaper on that engine, through its own socket', async ({
    skip,
  }) => {
    if (!remote) return skip(unavailable)
    const project = uniqueProjectName('remote-reaped')
    const up = startCli(['-f', FILE, '-p', project, 'up'], { env: remoteEnv(), timeoutMs: 240_000 })
    await up.waitFor(/client-1\s+\| Received: Hello, world/, 200_000)
    expect(await leftOf(project, remote.docker)).toEqual(expect.arrayContaining([`/${project}-client-1`]))
    up.child.kill('SIGKILL')
    await up.exited
    expect(
      await eventually(
        () => leftOf(project, remote!.docker),
        (left) => left.length === 0,
        60_000,
      ),
    ).toEqual([])
  }, 300_000)

  it('CLI: up -d, ps and port give what the engine has, and the port answers at the engine’s address; down removes it', async ({
    skip,
  }) => {
    if (!remote) return skip(unavailable)
    const project = uniqueProjectName('remote-cli')
    const cli = (...args: string[]) => runCli(['-f', FILE, '-p', project, ...args], { env: remoteEnv() })
    const up = await cli('up', '-d')
    expect(up.code, up.stderr).toBe(0)
    try {
      const ps = await cli('ps')
      expect(ps.stdout).toMatch(new RegExp(`${project}-echo-server-1 .*0\\.0\\.0\\.0:\\d+->2000/tcp`))
      const port = await cli('port', 'echo-server', '2000')
      expect(port.code, port.stderr).toBe(0)
      const [address, published] = port.stdout.trim().split(':')
      expect(address).toBe('0.0.0.0')
      expect(await echoOnce(remote.address, Number(published), 'through port')).toBe('through port')
    } finally {
      const down = await cli('down')
      expect(down.code, down.stderr).toBe(0)
    }
    expect(await leftOf(project, remote.docker)).toEqual([])
  }, 240_000)

  it('a wait on a port the file publishes on loopback says that the engine’s loopback cannot be reached from here', async ({
    skip,
  }) => {
    if (!remote) return skip(unavailable)
    const project = uniqueProjectName('remote-loopback')
    const run = tsx([
      '-e',
      `const { Compose } = await import(${JSON.stringify(resolve('harness/index.ts'))})
       await Compose.fromFiles(${JSON.stringify(LOOPBACK_FILE)}).withProjectName(${JSON.stringify(project)})
         .up({ waitFor: { web: { port: 2000 } }, timeoutMs: 3000 })`,
    ])
    expect(run.code).not.toBe(0)
    expect(run.stderr).toMatch(
      new RegExp(
        `port 2000 listens in the container, but its published address 127\\.0\\.0\\.1:\\d+ is (refused|unreachable) from this machine \\(it is on the loopback of the engine at ${remote.address.replaceAll('.', '\\.')}`,
      ),
    )
    expect(await leftOf(project, remote.docker)).toEqual([])
  }, 120_000)
})
