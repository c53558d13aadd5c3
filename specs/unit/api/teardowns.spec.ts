import { describe, expect, it } from 'vitest'
import { Teardowns } from '../../../harness/vitest/teardowns.js'

/** A removal that ends when `end` is called, noting when it starts and ends. */
function removal(name: string, log: string[]): { run: () => Promise<void>; end: (error?: Error) => void } {
  let end: (error?: Error) => void = () => {}
  return {
    run: () =>
      new Promise<void>((resolve, reject) => {
        log.push(`${name} starts`)
        end = (error) => {
          log.push(`${name} ends`)
          if (error) reject(error)
          else resolve()
        }
      }),
    end: (error) => end(error),
  }
}

describe("a file's teardowns that go on beside the next test", () => {
  it('starts a removal only once the one before has ended', async () => {
    const log: string[] = []
    const teardowns = new Teardowns()
    const [a, b] = [removal('a', log), removal('b', log)]
    await teardowns.add(a.run)
    const adding = teardowns.add(b.run)
    await Promise.resolve()
    expect(log).toEqual(['a starts'])
    a.end()
    await adding
    expect(log).toEqual(['a starts', 'a ends', 'b starts'])
    const draining = teardowns.drain()
    b.end()
    await draining
    expect(log).toEqual(['a starts', 'a ends', 'b starts', 'b ends'])
  })

  it('throws at the drain what failed: the one failure, or all of them', async () => {
    const one = new Teardowns()
    await one.add(() => Promise.reject(new Error('network in use')))
    await expect(one.drain()).rejects.toThrow('network in use')
    await expect(one.drain()).resolves.toBeUndefined()

    const two = new Teardowns()
    await two.add(() => Promise.reject(new Error('first')))
    await two.add(() => Promise.reject(new Error('second')))
    const error = await two.drain().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AggregateError)
    expect((error as AggregateError).errors.map((e: Error) => e.message)).toEqual(['first', 'second'])
  })
})
