import { describe, expect, inject, it } from 'vitest'
import { echoProject } from './support/test-projects.js'

const CLIENTS = 20
const MESSAGES = 5

describe.skipIf(!inject('engineReady'))('echo-server under load', () => {
  it(`answers ${CLIENTS} clients at once, each message its own, none lost or mixed up`, async () => {
    // The clients keep sending until the project goes: twenty containers of one network exiting in
    // the same instant make Docker 20.10 lose count of the network's endpoints (moby/moby#43286),
    // after which the network cannot be removed until the engine restarts.
    await using project = await echoProject('load', { ECHO_MESSAGE: '{host} #{n}', ECHO_INTERVAL: '0.1' }).up({
      scale: { client: CLIENTS },
    })
    const clients = project.containers('client')
    expect(clients).toHaveLength(CLIENTS)
    await Promise.all(clients.map((c) => c.waitForLog(/^Received: /, { times: MESSAGES, timeoutMs: 60_000 })))
    for (const client of clients) {
      const host = (await client.inspect()).Config.Hostname
      const lines = await client.logs()
      expect(lines.length).toBeGreaterThanOrEqual(MESSAGES)
      expect(lines).toEqual(Array.from({ length: lines.length }, (_, i) => `Received: ${host} #${i + 1}`))
    }
  })
})
