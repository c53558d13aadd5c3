import { describe, expect, inject, it } from 'vitest'
import { FaultError, type ServiceHandle } from '../../harness/index.js'
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

  it('takes faults as the engine takes its commands: starting a running service or stopping a stopped one does nothing; a fault the engine refuses names the service', async () => {
    await using project = await echoProject('fault-idempotent').up()
    const server = project.service('echo-server')
    const startedAt = (await server.inspect()).State.StartedAt
    await server.start()
    expect((await server.inspect()).State.StartedAt).toBe(startedAt)
    await server.stop(1)
    await server.stop(1)
    expect((await server.inspect()).State.Running).toBe(false)
    const refused = await server.kill().catch((error: unknown) => error)
    expect(refused).toBeInstanceOf(FaultError)
    expect((refused as FaultError).message).toMatch(
      /^kill of service "echo-server" \(container chtest-fault-idempotent-\w+-echo-server-1\) failed: .*is not running/,
    )
    await expect(server.pause()).rejects.toThrow(/^pause of service "echo-server" .* failed: .*is not running/)
    await expect(server.disconnect('nosuch')).rejects.toThrow(
      /^disconnect of service "echo-server" .* failed: .*nosuch/,
    )
  })

  it('waits, when asked, until a service brought back is healthy again by its healthcheck', async () => {
    await using project = await echoProject('fault-ready')
      .withOverride({
        services: {
          'echo-server': {
            healthcheck: { test: ['CMD', 'bash', '-c', 'exec 3<>/dev/tcp/127.0.0.1/2000'], interval: '1s' },
          },
        },
      })
      .up({ waitHealthy: true })
    const server = project.service('echo-server')
    const health = async () => (await server.inspect()).State.Health?.Status
    await server.restart(1)
    // Without `ready`, the fault returns as soon as the engine has restarted it.
    expect(await health()).toBe('starting')
    await server.restart(1, { ready: true })
    expect(await health()).toBe('healthy')
    await server.stop(1)
    await server.start({ ready: true })
    expect(await health()).toBe('healthy')
    await server.pause()
    await server.unpause({ ready: true })
    expect(await health()).toBe('healthy')
  })
})
