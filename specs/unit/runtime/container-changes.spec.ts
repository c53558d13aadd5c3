import { PassThrough } from 'node:stream'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { changesFrom } from '../../../harness/runtime/container/container-changes.js'

/** Whether `promise` has settled once pending callbacks have run (fake timers hold the time-outs). */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false
  void promise.then(() => (done = true))
  await vi.advanceTimersByTimeAsync(0)
  return done
}

describe('a wait woken by the engine’s events', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('ends at once when an event of the container comes, without waiting out the time-out', async () => {
    const stream = new PassThrough()
    const changes = changesFrom(stream)
    const next = changes.next(10_000)
    expect(await settled(next)).toBe(false)
    stream.write('{"status":"health_status: healthy"}\n')
    expect(await settled(next)).toBe(true)
  })

  it('ends at the time-out when no event comes, as polling would', async () => {
    const changes = changesFrom(new PassThrough())
    const next = changes.next(100)
    await vi.advanceTimersByTimeAsync(99)
    expect(await settled(next)).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect(await settled(next)).toBe(true)
  })

  it('ends the next wait at once for an event that came between two waits, and only that one', async () => {
    const stream = new PassThrough()
    const changes = changesFrom(stream)
    stream.write('{"status":"die"}\n')
    await vi.advanceTimersByTimeAsync(0)
    expect(await settled(changes.next(10_000))).toBe(true)
    expect(await settled(changes.next(10_000))).toBe(false)
  })

  it('polls on time-outs alone where the engine gave no stream, and survives the stream failing', async () => {
    const alone = changesFrom(undefined)
    const next = alone.next(50)
    expect(await settled(next)).toBe(false)
    await vi.advanceTimersByTimeAsync(50)
    expect(await settled(next)).toBe(true)
    const stream = new PassThrough()
    const failing = changesFrom(stream)
    stream.destroy(new Error('connection reset'))
    const after = failing.next(50)
    await vi.advanceTimersByTimeAsync(50)
    expect(await settled(after)).toBe(true)
  })

  it('closes the stream, and ends a wait under way, when disposed', async () => {
    const stream = new PassThrough()
    const changes = changesFrom(stream)
    const next = changes.next(10_000)
    await changes[Symbol.asyncDispose]()
    expect(await settled(next)).toBe(true)
    expect(stream.destroyed).toBe(true)
  })
})
