import { describe, expect, inject, it } from 'vitest'
import { Compose } from '../../harness/index.js'
import { CLIENT_ALONE_FILE, echoProject, uniqueProjectName } from './support/test-projects.js'

describe.skipIf(!inject('engineReady'))('the echo example', () => {
  it('echoes the client\'s message back at least three times', async () => {
    await using project = await echoProject('three-echoes').up()
    const echoes = await project.service('client').waitForLog(/^Received: /, { times: 3, timeoutMs: 20_000 })
    expect(echoes).toEqual(['Received: Hello, world', 'Received: Hello, world', 'Received: Hello, world'])
  })

  it('starts echo-server before the client that links to it', async () => {
    await using project = await echoProject('start-order').up()
    await project.service('client').waitForLog(/^Received: /, { timeoutMs: 20_000 })
    const server = await project.service('echo-server').inspect()
    const client = await project.service('client').inspect()
    expect(Date.parse(server.State.StartedAt)).toBeLessThan(Date.parse(client.State.StartedAt))
    expect(Date.parse(server.State.StartedAt)).toBeLessThan(Date.parse(client.Created))
  })

  it('puts both containers on the project network only, the link alias given to the client alone', async () => {
    await using project = await echoProject('alias').up()
    const server = await project.service('echo-server').inspect()
    const client = await project.service('client').inspect()
    const network = `${project.name}_default`
    expect(Object.keys(server.NetworkSettings.Networks)).toEqual([network])
    expect(Object.keys(client.NetworkSettings.Networks)).toEqual([network])
    expect(server.NetworkSettings.Networks[network]!.Aliases).toContain('echo-server')
    expect(server.NetworkSettings.Networks[network]!.Aliases).not.toContain('talkto')
    expect(client.NetworkSettings.Networks[network]!.Links).toEqual([`${project.name}-echo-server-1:talkto`])
  })

  it('answers twenty clients one after another, each with its own message', async () => {
    await using project = await echoProject('twenty-clients', { ECHO_MESSAGE: 'Hello {n}', ECHO_INTERVAL: '0.05' }).up()
    const echoes = await project.service('client').waitForLog(/^Received: /, { times: 20, timeoutMs: 30_000 })
    expect(echoes).toEqual(Array.from({ length: 20 }, (_, i) => `Received: Hello ${i + 1}`))
  })

  it('gives no container the engine\'s socket, privileges or added capabilities', async () => {
    await using project = await echoProject('no-privileges').up()
    for (const handle of project.services) {
      const { HostConfig } = await handle.inspect()
      expect(HostConfig.Privileged).toBe(false)
      expect(HostConfig.CapAdd ?? []).toEqual([])
      expect((HostConfig.Binds ?? []).filter((b) => b.includes('docker.sock'))).toEqual([])
    }
  })

  it('fails with a connection error when the client starts with no server', async () => {
    await using project = await Compose.fromFiles(CLIENT_ALONE_FILE).withProjectName(uniqueProjectName('no-server')).up({ waitHealthy: false })
    const client = project.service('client')
    expect(await client.waitForExit({ timeoutMs: 20_000 })).not.toBe(0)
    expect((await client.logs()).join('\n')).toMatch(/^Error: cannot reach talkto:2000: .*(Name or service not known|not known|refused)/m)
  })
})
