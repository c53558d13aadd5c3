import { describe, expect, inject, it } from 'vitest'
import { echoProject } from './support/test-projects.js'

const CLIENTS = 20
const MESSAGES = 5

describe.skipIf(!inject('engineReady'))('echo-server under load', () => {
  it(`answers ${CLIENTS} clients at once, each message its own, none lost or mixed up`, async () => {
    await using project = await echoProject('load', { ECHO_MESSAGE: '{host} #{n}', ECHO_INTERVAL: '0', ECHO_COUNT: String(MESSAGES) })
      .up({ scale: { client: CLIENTS } })
    const clients = project.containers('client')
    expect(clients).toHaveLength(CLIENTS)
    const exits = await Promise.all(clients.map((c) => c.waitForExit({ timeoutMs: 60_000 })))
    expect(exits).toEqual(Array(CLIENTS).fill(0))
    for (const client of clients) {
      const host = (await client.inspect()).Config.Hostname
      expect(await client.logs()).toEqual(Array.from({ length: MESSAGES }, (_, i) => `Received: ${host} #${i + 1}`))
    }
  })
})
