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

/** One exchange of a client: its answer, a wrong answer, or an error (with ECHO_RETRY it goes on). */
const EXCHANGE = /^(Received|Mismatch|Error): /

export async function benchEchoLoad(clients = 20, messages = 50): Promise<LoadFigures> {
  const compose = Compose.fromFiles(resolve('fixtures/echo/docker-compose.yml'))
    .withProjectName('bench-load')
    .withOverride({
      services: {
        client: {
          environment: { ECHO_MESSAGE: '{host} #{n}', ECHO_INTERVAL: '0', ECHO_TIMEOUT: '5', ECHO_RETRY: '1' },
        },
      },
    })
  const started = performance.now()
  await using project = await compose.up({ scale: { client: clients }, reap: false })
  const handles = project.containers('client')
  // Each client's first `messages` exchanges are counted; the clients go on until the project goes,
  // because many containers of one network exiting at once trip Docker 20.10 (moby/moby#43286).
  // A client that ends early (a mismatch ends it) is counted with what it logged.
  await Promise.all(
    handles.map((h) => h.waitForLog(EXCHANGE, { times: messages, timeoutMs: 120_000 }).catch(() => undefined)),
  )
  const ms = performance.now() - started
  let echoed = 0
  let mismatched = 0
  let errors = 0
  for (const handle of handles) {
    const host = (await handle.inspect()).Config.Hostname
    for (const line of (await handle.logs()).filter((l) => EXCHANGE.test(l)).slice(0, messages)) {
      if (/^Received: /.test(line)) echoed += line.startsWith(`Received: ${host} #`) ? 1 : 0
      if (/^Mismatch: /.test(line)) mismatched++
      if (/^Error: /.test(line)) errors++
    }
  }
  return { clients, sent: clients * messages, echoed, mismatched, errors, ms }
}
