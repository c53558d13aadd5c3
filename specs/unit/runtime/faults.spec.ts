import { describe, expect, it } from 'vitest'
import { alreadyDone, engineReason, FaultError, inflict } from '../../../harness/runtime/container/faults.js'
import { EngineGoneError } from '../../../harness/runtime/engine/runtime-errors.js'

/** An engine refusal as dockerode gives it: the status, and the engine's JSON message. */
const refusal = (statusCode: number, message: string) =>
  Object.assign(new Error(`(HTTP code ${statusCode}) unexpected - ${message}`), { statusCode, json: { message } })

const WHO = { service: 'web', name: 'demo-web-1' }

describe('faults, decided without an engine', () => {
  it('takes "not modified" as done for start and stop only, as the engine commands do', () => {
    expect(alreadyDone('start', refusal(304, ''))).toBe(true)
    expect(alreadyDone('stop', refusal(304, ''))).toBe(true)
    expect(alreadyDone('kill', refusal(304, ''))).toBe(false)
    expect(alreadyDone('start', refusal(409, 'x'))).toBe(false)
  })

  it("gives the engine's own words, or the error's message", () => {
    expect(engineReason(refusal(409, 'Container abc is not running '))).toBe('Container abc is not running')
    expect(engineReason(new Error('socket closed'))).toBe('socket closed')
  })

  it('succeeds on "already so", keeps EngineGoneError, and names the service, container and fault otherwise', async () => {
    await expect(inflict('stop', WHO, () => Promise.reject(refusal(304, '')))).resolves.toBeUndefined()
    const gone = new EngineGoneError('socket hang up')
    await expect(inflict('pause', WHO, () => Promise.reject(gone))).rejects.toBe(gone)
    const failed = (await inflict('pause', WHO, () =>
      Promise.reject(refusal(409, 'Container abc is not running')),
    ).catch((error: unknown) => error)) as FaultError
    expect(failed).toBeInstanceOf(FaultError)
    expect(failed.message).toBe('pause of service "web" (container demo-web-1) failed: Container abc is not running')
    expect([failed.fault, failed.service, failed.container]).toEqual(['pause', 'web', 'demo-web-1'])
  })
})
