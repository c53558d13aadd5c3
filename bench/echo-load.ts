// The echo server under load: many client containers at once, each sending its own messages;
// counts what came back right, what came back wrong and what failed. Figures, not a test.
import { resolve } from 'node:path'
import { Compose } from '../harness/index.js'

export interface LoadFigures {
  readonly clients: number
  readonly sent: number
  readonly echoed: number
  readonly mismatched: number
  readonly errors: number
  readonly ms: number
}

export async function benchEchoLoad(clients = 20, messages = 50): Promise<LoadFigures> {
  const compose = Compose.fromFiles(resolve('fixtures/echo/docker-compose.yml'))
    .withProjectName('bench-load')
    .withOverride({ services: { client: { environment: { ECHO_MESSAGE: '{host} #{n}', ECHO_INTERVAL: '0', ECHO_COUNT: String(messages), ECHO_TIMEOUT: '5' } } } })
  const started = performance.now()
  await using project = await compose.up({ scale: { client: clients }, reap: false })
  const handles = project.containers('client')
  await Promise.all(handles.map((h) => h.waitForExit({ timeoutMs: 120_000 })))
  const ms = performance.now() - started
  let echoed = 0
  let mismatched = 0
  let errors = 0
  for (const handle of handles) {
    const host = (await handle.inspect()).Config.Hostname
    for (const line of await handle.logs()) {
      if (/^Received: /.test(line)) echoed += line.startsWith(`Received: ${host} #`) ? 1 : 0
      if (/^Mismatch: /.test(line)) mismatched++
      if (/^Error: /.test(line)) errors++
    }
  }
  return { clients, sent: clients * messages, echoed, mismatched, errors, ms }
}
