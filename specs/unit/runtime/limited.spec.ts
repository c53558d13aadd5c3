import { describe, expect, it } from 'vitest'
import { mapLimited } from '../../../harness/runtime/images/limited.js'

describe('mapLimited (--parallel)', () => {
  it('runs at most the limit at once, starts in order, and gives the results in order', async () => {
    let running = 0
    let most = 0
    const started: number[] = []
    const results = await mapLimited([1, 2, 3, 4, 5], 2, async (n) => {
      started.push(n)
      most = Math.max(most, ++running)
      // Each waits a turn of the event loop per number, so that they overlap unevenly.
      for (let i = 0; i < n; i++) await Promise.resolve()
      running--
      return n * 10
    })
    expect(results).toEqual([10, 20, 30, 40, 50])
    expect(most).toBe(2)
    expect(started).toEqual([1, 2, 3, 4, 5])
  })

  it('runs all at once without a limit, and rejects as Promise.all does', async () => {
    let running = 0
    let most = 0
    await mapLimited([1, 2, 3], undefined, async () => {
      most = Math.max(most, ++running)
      await Promise.resolve()
      running--
    })
    expect(most).toBe(3)
    await expect(
      mapLimited([1, 2], 1, async (n) => {
        if (n === 2) throw new Error('second failed')
      }),
    ).rejects.toThrow('second failed')
  })
})
