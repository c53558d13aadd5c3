import { connect } from 'node:net'
import { describe, expect, it } from 'vitest'
import type { StartedCompose } from '../../harness/index.js'
import { echoProject } from './support/test-projects.js'
import { leftOf } from './support/observe.js'

/** Projects of one suite brought up at the same instant on one engine, as test workers do. */
const PROJECTS = 6

/** Sends one line to a published port from this process and gives back what comes back. */
function echoThrough(host: string, port: number, line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let reply = ''
    const socket = connect({ host, port, timeout: 5000 }, () => socket.write(`${line}\n`))
    socket.on('data', (chunk) => {
      reply += chunk.toString()
      if (reply.endsWith('\n')) socket.end()
    })
    socket.on('end', () => resolve(reply.trimEnd()))
    socket.on('timeout', () => socket.destroy(new Error(`no answer from ${host}:${port} within 5 s`)))
    socket.on('error', reject)
  })
}

describe('many projects at once on one engine', () => {
  it('keep their containers, networks, published ports and volumes apart, and leave nothing', async () => {
    // Each project publishes the server's port on a port the engine chooses and keeps a named volume.
    const composes = Array.from({ length: PROJECTS }, (_, i) =>
      echoProject(`many-${i}`).withOverride({
        services: { 'echo-server': { ports: ['2000'], volumes: ['data:/data'] } },
        volumes: { data: {} },
      }),
    )
    const started: StartedCompose[] = []
    try {
      await Promise.all(composes.map(async (c) => started.push(await c.up())))
      const names = started.map((p) => p.name)
      expect(new Set(names).size).toBe(PROJECTS)
      const inspected = await Promise.all(started.flatMap((p) => p.services.map((h) => h.inspect())))
      expect(new Set(inspected.map((c) => c.Name)).size).toBe(PROJECTS * 2)
      const networks = inspected.flatMap((c) => Object.keys(c.NetworkSettings.Networks))
      expect(new Set(networks)).toEqual(new Set(names.map((n) => `${n}_default`)))
      const volumes = inspected.flatMap((c) => c.Mounts.filter((m) => m.Type === 'volume').map((m) => m.Name))
      expect(new Set(volumes)).toEqual(new Set(names.map((n) => `${n}_data`)))
      const servers = started.map((p) => p.service('echo-server'))
      const ports = await Promise.all(servers.map((s) => s.mappedPort(2000)))
      expect(new Set(ports).size).toBe(PROJECTS)
      // Every project works on its own: its client is echoed, and its published port answers this process.
      const echoed = await Promise.all(
        started.map((p) => p.service('client').waitForLog(/^Received: Hello, world$/, { timeoutMs: 30_000 })),
      )
      expect(echoed.map((lines) => lines.at(-1))).toEqual(names.map(() => 'Received: Hello, world'))
      const replies = await Promise.all(
        servers.map(async (s, i) => echoThrough(await s.host(2000), ports[i]!, `to project ${names[i]}`)),
      )
      expect(replies).toEqual(names.map((n) => `to project ${n}`))
    } finally {
      await Promise.all(started.map((p) => p.down({ volumes: true })))
    }
    const left = await Promise.all(started.map((p) => leftOf(p.name)))
    expect(left.flat()).toEqual([])
    expect(started).toHaveLength(PROJECTS)
  })
})
