import { describe, expect, it } from 'vitest'
import { afterActiveEndpoints, ENDPOINT_RELEASE_MS, LOST_COUNT_MS } from '../../../harness/runtime/engine/remove.js'

const removed = { name: 'p-web-1', live: false }
const running = { name: 'mine', live: true }

describe('a network removal refused for active endpoints', () => {
  it('tries again while the endpoints of containers just removed are being released', () => {
    expect(afterActiveEndpoints({ elapsedMs: 0, attached: [removed], noneForMs: 0 })).toBe('retry')
    expect(afterActiveEndpoints({ elapsedMs: ENDPOINT_RELEASE_MS - 1, attached: [removed], noneForMs: 0 })).toBe(
      'retry',
    )
  })

  it('gives up once the release has taken ENDPOINT_RELEASE_MS, naming what is held', () => {
    expect(afterActiveEndpoints({ elapsedMs: ENDPOINT_RELEASE_MS, attached: [removed], noneForMs: 0 })).toBe('held')
    expect(afterActiveEndpoints({ elapsedMs: ENDPOINT_RELEASE_MS, attached: undefined, noneForMs: 0 })).toBe('held')
  })

  it('is held at once by a container that still runs: no wait releases it', () => {
    expect(afterActiveEndpoints({ elapsedMs: 0, attached: [removed, running], noneForMs: 0 })).toBe('held')
  })

  it('takes a count with none attached for LOST_COUNT_MS as the engine bug, and a shorter one as a release under way', () => {
    expect(afterActiveEndpoints({ elapsedMs: LOST_COUNT_MS, attached: [], noneForMs: LOST_COUNT_MS - 1 })).toBe('retry')
    expect(afterActiveEndpoints({ elapsedMs: LOST_COUNT_MS, attached: [], noneForMs: LOST_COUNT_MS })).toBe(
      'lost-count',
    )
    expect(afterActiveEndpoints({ elapsedMs: ENDPOINT_RELEASE_MS, attached: [], noneForMs: 0 })).toBe('lost-count')
  })

  it('waits on when the network could not be inspected', () => {
    expect(afterActiveEndpoints({ elapsedMs: LOST_COUNT_MS * 2, attached: undefined, noneForMs: 0 })).toBe('retry')
  })
})
