import { describe, expect, inject, it } from 'vitest'
import type { ServiceHandle } from '../../harness/index.js'
import { echoProject } from './support/test-projects.js'

const ERROR = /^Error: cannot reach talkto:2000: /

/** Runs `recover`, then waits for an echo newer than every one before it. */
async function echoesAgainAfter(client: ServiceHandle, recover: () => Promise<void>): Promise<void> {
  const before = (await client.logs()).filter((l) => l.startsWith('Received: ')).length
  await recover()
  await client.waitForLog(/^Received: /, { times: before + 1, timeoutMs: 20_000 })
}

describe.skipIf(!inject('engineReady'))('faults injected by service name', () => {
  it('makes the echo client fail while echo-server is stopped', async () => {
    await using project = await echoProject('fault-stop').up()
    const client = project.service('client')
    await client.waitForLog(/^Received: /)
    await project.service('echo-server').stop()
    expect(await client.waitForExit({ timeoutMs: 20_000 })).toBe(1)
    expect((await client.logs()).at(-1)).toMatch(ERROR)
  })

  it('lets a client with retries resume echoing once echo-server is back', async () => {
    await using project = await echoProject('fault-restart', { ECHO_RETRY: '1' }).up()
    const [client, server] = [project.service('client'), project.service('echo-server')]
    await client.waitForLog(/^Received: /)
    await server.stop()
    await client.waitForLog(ERROR)
    await echoesAgainAfter(client, () => server.start())
  })

  it('makes a client time out instead of hang while echo-server is paused', async () => {
    await using project = await echoProject('fault-pause', { ECHO_RETRY: '1', ECHO_TIMEOUT: '1' }).up()
    const [client, server] = [project.service('client'), project.service('echo-server')]
    await client.waitForLog(/^Received: /)
    await server.pause()
    const [timedOut] = await client.waitForLog(/^Error: cannot reach talkto:2000: timed out$/, { timeoutMs: 20_000 })
    expect(timedOut).toBe('Error: cannot reach talkto:2000: timed out')
    await echoesAgainAfter(client, () => server.unpause())
  })

  it('cuts echo-server off the network and puts it back, and kills it with a signal', async () => {
    await using project = await echoProject('fault-network', { ECHO_RETRY: '1', ECHO_TIMEOUT: '1' }).up()
    const [client, server] = [project.service('client'), project.service('echo-server')]
    await client.waitForLog(/^Received: /)
    await server.disconnect()
    await client.waitForLog(ERROR)
    await echoesAgainAfter(client, () => server.connect())
    await server.kill('SIGKILL')
    expect(await server.waitForExit()).toBe(137)
  })
})
