import { spawn } from 'node:child_process'
import { resolve } from 'node:path'
import type Dockerode from 'dockerode'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { connectEngine } from '../../harness/runtime/engine/engine.js'
import { onThisMachine } from '../../harness/runtime/engine/publish-address.js'
import { runCli, startCli } from '../support/cli.js'
import { eventually } from '../support/eventually.js'
import { fixtureSpecArgs, type JsonReport } from './support/fixture-specs.js'
import { dockerInDockerOrWhyNot, remoteEnvironment, type RemoteEngine } from './support/docker-in-docker.js'
import { leftOf } from './support/observe.js'
import { uniqueProjectName } from './support/test-projects.js'

// The engine restarted under the harness, as a package upgrade or a service manager restarts it:
// a Docker-in-Docker engine of its own (this machine's engine runs the other specs), whose dockerd
// is stopped (SIGTERM: it stops its containers) and started again. Every command runs in a process
// of its own with DOCKER_HOST naming that engine.
const FILE = resolve('fixtures/reaper/restart.yml')

let remote: RemoteEngine | undefined
let unavailable = ''

const remoteEnv = (): NodeJS.ProcessEnv => remoteEnvironment(remote!)

/** The project's containers, networks and volumes on the restarted engine, and the reapers left there. */
async function leftOnRemote(project: string): Promise<string[]> {
  const docker = remote!.docker
  const reapers = await docker.listContainers({ all: true, filters: { label: ['com.compose-harness.reaper'] } })
  return [...(await leftOf(project, docker)), ...reapers.map((r) => r.Names[0]!)]
}

/** The name of the one project whose `app` container runs on `docker`, once there is one. */
async function runningProject(docker: Dockerode): Promise<string | undefined> {
  const found = await eventually(
    () => docker.listContainers({ filters: { label: ['com.docker.compose.service=app'], status: ['running'] } }),
    (c) => c.length > 0,
    120_000,
  )
  return found[0]?.Labels['com.docker.compose.project']
}

describe.skipIf(!inject('engineReady'))('an engine restarted under a run', () => {
  beforeAll(async () => {
    const engineHost = (await connectEngine()).info.containerRuntime.host
    if (!(await onThisMachine(engineHost))) {
      // GitLab's docker:dind, the engine matrix's: an engine of its own would not be reachable from here.
      unavailable = `the engine under test is elsewhere (${engineHost}): this spec restarts an engine of its own, in a container of an engine on this machine`
      return
    }
    // vfs, as this spec's engine has always run: Docker 20.10 cannot start again when a network's
    // removal was cut short by its shutdown (libnetwork's reservePools panics, "index out of range",
    // at every start after), and on overlay2 the fixture's teardown is quick enough to meet it.
    const found = await dockerInDockerOrWhyNot({ storage: 'vfs' })
    remote = found.remote
    unavailable = found.unavailable
  }, 300_000)

  afterAll(async () => {
    await remote?.[Symbol.asyncDispose]()
  })

  it('a foreground up fails saying the engine went away, and its reaper removes what it started once the engine is back', async ({
    skip,
  }) => {
    if (!remote) return skip(unavailable)
    const project = uniqueProjectName('restart-up')
    const up = startCli(['-f', FILE, '-p', project, 'up'], { env: remoteEnv(), timeoutMs: 240_000 })
    await up.waitFor(/app-1\s+\| ready/, 120_000)
    await remote.restart()
    expect(await up.exited).toBe(1)
    expect(up.stderr).toMatch(/the Docker engine went away during this run/)
    expect(up.stderr).not.toMatch(/^\s+at /m)
    // The containers and the network; the named volume is the user's data, as after a SIGKILL.
    expect(
      await eventually(
        () => leftOnRemote(project),
        (left) => left.length === 1,
        60_000,
      ),
    ).toEqual([`${project}_data`])
    expect((await runCli(['-f', FILE, '-p', project, 'down', '-v'], { env: remoteEnv() })).code).toBe(0)
  }, 240_000)

  it('a test using the fixture fails saying the engine went away, and nothing of its project is left', async ({
    skip,
  }) => {
    if (!remote) return skip(unavailable)
    const vitest = spawn(process.execPath, fixtureSpecArgs('engine-restart'), {
      env: { ...process.env, ...remoteEnv(), CI: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let report = ''
    vitest.stdout.on('data', (d: Buffer) => (report += d.toString()))
    const exited = new Promise<number | null>((done) => vitest.on('exit', done))
    const project = await runningProject(remote.docker)
    expect(project).toMatch(/^chtest-/)
    await remote.restart()
    expect(await exited).toBe(1)
    const failures = (JSON.parse(report) as JsonReport).testResults[0]!.assertionResults[0]!.failureMessages
    expect(failures.join('\n')).toMatch(/the Docker engine went away during this run/)
    expect(
      await eventually(
        () => leftOnRemote(project!),
        (left) => left.length === 0,
        60_000,
      ),
    ).toEqual([])
  }, 240_000)

  it('between a run killed and its reaper doing its work: the reaper, back with the engine, does it; a project brought up with -d is kept', async ({
    skip,
  }) => {
    if (!remote) return skip(unavailable)
    const killed = uniqueProjectName('restart-killed')
    const kept = uniqueProjectName('restart-kept')
    expect((await runCli(['-f', FILE, '-p', kept, 'up', '-d'], { env: remoteEnv() })).code).toBe(0)
    const env = { ...remoteEnv(), TESTCONTAINERS_RYUK_RECONNECTION_TIMEOUT: '30s' }
    const up = startCli(['-f', FILE, '-p', killed, 'up'], { env, timeoutMs: 240_000 })
    await up.waitFor(/app-1\s+\| ready/, 120_000)
    up.signal('SIGKILL')
    expect(await up.exited).toBe(137)
    await remote.restart()
    // Still there once the engine is back: its reaper had not done its work before the restart.
    expect(await leftOf(killed, remote.docker)).toEqual(expect.arrayContaining([`${killed}_default`]))
    expect(
      await eventually(
        () => leftOnRemote(killed),
        (left) => left.length === 1,
        90_000,
      ),
    ).toEqual([`${killed}_data`])
    expect((await runCli(['-f', FILE, '-p', killed, 'down', '-v'], { env: remoteEnv() })).code).toBe(0)
    expect(await leftOf(kept, remote.docker)).toEqual(
      expect.arrayContaining([`/${kept}-app-1`, `/${kept}-store-1`, `${kept}_default`, `${kept}_data`]),
    )
    expect((await runCli(['-f', FILE, '-p', kept, 'down', '-v'], { env: remoteEnv() })).code).toBe(0)
    expect(await leftOf(kept, remote.docker)).toEqual([])
  }, 240_000)
})
