import { describe, expect, inject } from 'vitest'
import { composeTest } from '../../harness/vitest/compose-test.js'
import { CLIENT_ALONE_FILE, ECHO_FILE, TEST_PROJECT_PREFIX } from './support/test-projects.js'

/** The echo example as users wrote it; the client's interval is shortened by an override, not by editing the file. */
const test = composeTest<'echo-server' | 'client'>({
  files: [ECHO_FILE],
  override: { services: { client: { environment: { ECHO_INTERVAL: '0.2' } } } },
  projectPrefix: TEST_PROJECT_PREFIX,
})

describe.skipIf(!inject('engineReady'))('the echo example', () => {
  test("echoes the client's message back at least three times", async ({ compose }) => {
    await expect(compose.service('client')).toHaveLogged(/^Received: Hello, world$/, { times: 3, timeoutMs: 20_000 })
  })

  test('starts echo-server before the client that links to it', async ({ compose }) => {
    const server = await compose.service('echo-server').inspect()
    const client = await compose.service('client').inspect()
    expect(Date.parse(server.State.StartedAt)).toBeLessThan(Date.parse(client.State.StartedAt))
  })

  test('puts both containers on the project network only, the link alias given to the client alone', async ({
    compose,
  }) => {
    const network = `${compose.name}_default`
    const server = await compose.service('echo-server').inspect()
    const client = await compose.service('client').inspect()
    expect(Object.keys(server.NetworkSettings.Networks)).toEqual([network])
    expect(Object.keys(client.NetworkSettings.Networks)).toEqual([network])
    expect(server.NetworkSettings.Networks[network]!.Aliases).toContain('echo-server')
    expect(server.NetworkSettings.Networks[network]!.Aliases).not.toContain('talkto')
    // Compose v2's three names for a linked container: the alias, <service>-<n> and <project>-<service>-<n>.
    const server1 = `${compose.name}-echo-server-1`
    expect(client.NetworkSettings.Networks[network]!.Links).toEqual([
      `${server1}:talkto`,
      `${server1}:echo-server-1`,
      `${server1}:${server1}`,
    ])
  })

  test("gives no container the engine's socket, privileges or added capabilities", async ({ compose }) => {
    for (const handle of compose.services) {
      const { HostConfig } = await handle.inspect()
      expect(HostConfig.Privileged).toBe(false)
      expect(HostConfig.CapAdd ?? []).toEqual([])
      expect((HostConfig.Binds ?? []).filter((b) => b.includes('docker.sock'))).toEqual([])
    }
  })

  describe('with a numbered message', () => {
    test.override({
      composeOptions: {
        files: [ECHO_FILE],
        projectPrefix: TEST_PROJECT_PREFIX,
        override: { services: { client: { environment: { ECHO_MESSAGE: 'Hello {n}', ECHO_INTERVAL: '0.05' } } } },
      },
    })

    test('answers twenty clients one after another, each with its own message', async ({ compose }) => {
      const echoes = await compose.service('client').waitForLog(/^Received: /, { times: 20, timeoutMs: 30_000 })
      expect(echoes).toEqual(Array.from({ length: 20 }, (_, i) => `Received: Hello ${i + 1}`))
    })
  })

  describe('without its server', () => {
    test.override({
      composeOptions: { files: [CLIENT_ALONE_FILE], projectPrefix: TEST_PROJECT_PREFIX, up: { waitHealthy: false } },
    })

    test('fails with a connection error when the client starts with no server', async ({ compose }) => {
      const client = compose.service('client')
      expect(await client.waitForExit({ timeoutMs: 20_000 })).not.toBe(0)
      expect((await client.logs()).join('\n')).toMatch(
        /^Error: cannot reach talkto:2000: .*(Name or service not known|not known|refused)/m,
      )
    })
  })
})
