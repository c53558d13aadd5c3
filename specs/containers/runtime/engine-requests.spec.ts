import { describe, expect, inject, it } from 'vitest'
import { Compose } from '../../../harness/index.js'
import { connectEngine, type Engine } from '../../../harness/runtime/engine/engine.js'
import { ECHO_BUILD_FILE, ECHO_FILE, uniqueProjectName } from '../support/test-projects.js'

type Dial = (options: { method: string; path: string }, callback: (...args: unknown[]) => void) => unknown

/** The requests (`GET /images/server/json`) this process sends the engine while `work` runs. */
async function requestsDuring(engine: Engine, work: () => Promise<void>): Promise<string[]> {
  const modem = engine.container.dockerode.modem as unknown as { dial: Dial }
  const dial = modem.dial
  const sent: string[] = []
  modem.dial = (options, callback) => {
    sent.push(`${options.method} ${options.path.replace(/^\/v[\d.]+\//, '/').replace(/\?.*$/, '')}`)
    return dial.call(modem, options, callback)
  }
  try {
    await work()
  } finally {
    modem.dial = dial
  }
  return sent
}

describe.skipIf(!inject('engineReady'))('what up asks of the engine', () => {
  it('inspects each image once, though its pull, its build and the convergence all need it, and never asks /version', async () => {
    const engine = await connectEngine()
    const compose = Compose.fromFiles(ECHO_FILE, ECHO_BUILD_FILE).withProjectName(uniqueProjectName('requests'))
    let project: Awaited<ReturnType<Compose['up']>> | undefined
    try {
      const sent = await requestsDuring(engine, async () => {
        project = await compose.up({ waitHealthy: false })
      })
      // By the names the files give, and by no other (`server:latest`): nothing else checks them again.
      const inspections = sent.filter((r) => /^GET \/images\/(server|client)(:[^/]*)?\/json$/.test(r)).sort()
      expect(inspections).toEqual(['GET /images/client/json', 'GET /images/server/json'])
      expect(sent.filter((r) => r.endsWith('/version'))).toEqual([])
    } finally {
      await project?.down()
    }
  })
})
