import { once } from 'node:events'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pack } from 'tar-fs'
import { describe, expect, inject, it } from 'vitest'
import { Compose } from '../../harness/index.js'
import { connectEngine } from '../../harness/runtime/engine/engine.js'
import { onThisMachine } from '../../harness/runtime/engine/publish-address.js'
import { leftOf } from './support/observe.js'
import { uniqueProjectName } from './support/test-projects.js'

// Hooks, pull policies, deploy.restart_policy and `service:` namespaces, applied at `up`.
const FILE = resolve('fixtures/runtime/run-settings/compose.yml')

describe.skipIf(!inject('engineReady'))('how containers are brought up', () => {
  it('runs post_start after each start and pre_stop before each stop, as the hook’s user, in its directory, with its environment', async () => {
    const project = uniqueProjectName('hooks')
    await using started = await Compose.fromFiles(FILE)
      .withProjectName(project)
      .up({ services: ['app'] })
    const log = async () => (await started.service('app').exec(['cat', '/tmp/hooks.log'])).stdout
    expect(await log()).toBe('started as 1000 in /tmp with hello\n')
    await started.stop()
    await started.start()
    expect(await log()).toBe('started as 1000 in /tmp with hello\nstopping\nstarted as 1000 in /tmp with hello\n')
    await started.down()
    expect(await leftOf(project)).toEqual([])
  })

  it('runs pre_start steps in containers of their own, with the service’s volumes, before it starts, and not again while it runs', async () => {
    const project = uniqueProjectName('pre-start')
    const compose = Compose.fromFiles(FILE).withProjectName(project)
    await using started = await compose.up({ services: ['migrated'] })
    const read = async () => (await started.service('migrated').exec(['cat', '/data/migrated'])).stdout
    expect(await read()).toBe('migrated in test\nsecond step\n')
    await using again = await compose.up({ services: ['migrated'] })
    expect((await again.service('migrated').exec(['cat', '/data/migrated'])).stdout).toBe(
      'migrated in test\nsecond step\n',
    )
    await started.down()
    expect(await leftOf(project)).toEqual([])
  })

  it('fails up when a pre_start step fails, with its status and output, and leaves nothing', async () => {
    const project = uniqueProjectName('pre-start-fails')
    const compose = Compose.fromFiles(FILE)
      .withProjectName(project)
      .withOverride({
        services: { migrated: { pre_start: [{ command: 'sh -c "echo schema is broken >&2; exit 4"' }] } },
      })
    await expect(compose.up({ services: ['migrated'] })).rejects.toThrow(
      /services\.migrated\.pre_start\[0\] exited with status 4:\n {2}schema is broken/,
    )
    expect(await leftOf(project)).toEqual([])
  })

  it('fails up when a post_start hook fails, with its status and output, and leaves nothing', async () => {
    const project = uniqueProjectName('hook-fails')
    const compose = Compose.fromFiles(FILE)
      .withProjectName(project)
      .withOverride({ services: { app: { post_start: [{ command: 'sh -c "echo no database >&2; exit 3"' }] } } })
    await expect(compose.up({ services: ['app'] })).rejects.toThrow(
      /services\.app\.post_start\[0\] \(sh -c echo no database >&2; exit 3\) exited with status 3:\n {2}no database/,
    )
    expect(await leftOf(project)).toEqual([])
  })

  it('joins another service’s IPC and PID namespaces, and restarts by deploy.restart_policy', async () => {
    const project = uniqueProjectName('namespaces')
    await using started = await Compose.fromFiles(FILE).withProjectName(project).up()
    const app = started.service('app')
    const sidecar = await started.service('sidecar').inspect()
    expect(sidecar.HostConfig.IpcMode).toBe(`container:${app.id}`)
    expect(sidecar.HostConfig.PidMode).toBe(`container:${app.id}`)
    expect((await app.inspect()).HostConfig.RestartPolicy).toEqual({ Name: 'on-failure', MaximumRetryCount: 2 })
    // One PID namespace: the sidecar sees the app's processes.
    const { stdout } = await started.service('sidecar').exec(['sh', '-c', 'ls /proc | grep -c "^[0-9]"'])
    expect(Number(stdout.trim())).toBeGreaterThanOrEqual(4)
    await started.down()
    expect(await leftOf(project)).toEqual([])
  })

  it('links to a container outside the project by external_links, on a network they share, with the endpoint’s driver_opts', async () => {
    const project = uniqueProjectName('external-links')
    const docker = (await connectEngine()).container.dockerode
    const network = await docker.createNetwork({ Name: `${project}-outside` })
    const legacy = await docker.createContainer({
      name: `${project}-legacy`,
      Image: 'compose-harness-probe',
      Cmd: ['sleep', 'infinity'],
      HostConfig: { Init: true, NetworkMode: `${project}-outside` },
    })
    try {
      await legacy.start()
      const compose = Compose.fromFiles(FILE)
        .withProjectName(project)
        .withOverride({
          services: {
            app: {
              external_links: [`${project}-legacy:old-db`],
              networks: { outside: { driver_opts: { 'com.example.endpoint': 'tuned' } } },
            },
          },
          networks: { outside: { external: true, name: `${project}-outside` } },
        })
      await using started = await compose.up({ services: ['app'] })
      const { stdout } = await started.service('app').exec(['getent', 'hosts', 'old-db'])
      const address = (await legacy.inspect()).NetworkSettings.Networks[`${project}-outside`]!.IPAddress
      expect(stdout.split(/\s+/)[0]).toBe(address)
      const endpoint = (await started.service('app').inspect()).NetworkSettings.Networks[`${project}-outside`] as {
        DriverOpts?: Record<string, string>
      }
      expect(endpoint.DriverOpts).toEqual({ 'com.example.endpoint': 'tuned' })
      await started.down()
    } finally {
      await legacy.remove({ force: true })
      await network.remove()
    }
    expect(await leftOf(project)).toEqual([])
  })

  it('builds from a remote context, which the engine fetches itself (here a tarball served on loopback)', async (context) => {
    const engine = await connectEngine()
    // The engine fetches the URL: one elsewhere cannot reach this machine's loopback.
    if (!(await onThisMachine(engine.info.containerRuntime.host))) return context.skip('the engine is elsewhere')
    const dir = mkdtempSync(join(tmpdir(), 'compose-harness-remote-'))
    writeFileSync(join(dir, 'Dockerfile'), 'FROM compose-harness-probe\nRUN echo fetched > /fetched\n')
    const archive = await new Promise<Buffer>((resolve) => {
      const parts: Buffer[] = []
      pack(dir)
        .on('data', (b: Buffer) => parts.push(b))
        .on('end', () => resolve(Buffer.concat(parts)))
    })
    const server = createServer((_, response) => response.end(archive)).listen(0, '127.0.0.1')
    await once(server, 'listening')
    const { port } = server.address() as AddressInfo
    const project = uniqueProjectName('remote-context')
    const image = `${project}-built`
    try {
      const compose = Compose.fromFiles(FILE)
        .withProjectName(project)
        .withOverride({ services: { app: { build: `http://127.0.0.1:${port}/context.tar`, image } } })
      await using started = await compose.up({ services: ['app'] })
      expect((await started.service('app').exec(['cat', '/fetched'])).stdout).toBe('fetched\n')
      await started.down()
    } finally {
      server.close()
      await engine.container.dockerode
        .getImage(image)
        .remove()
        .catch(() => {})
    }
    expect(await leftOf(project)).toEqual([])
  })

  it('refuses to pull an image that pull_policy never forbids pulling, naming it, before anything starts', async () => {
    const project = uniqueProjectName('pull-never')
    const compose = Compose.fromFiles(FILE)
      .withProjectName(project)
      .withOverride({ services: { app: { image: 'compose-harness-spec-absent:1' } } })
    await expect(compose.up({ services: ['app'] })).rejects.toThrow(
      /image "compose-harness-spec-absent:1" is not present, and its pull policy \(never\) forbids pulling it/,
    )
    expect(await leftOf(project)).toEqual([])
  })
})
