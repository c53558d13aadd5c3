import { describe, expect, it } from 'vitest'
import { sinceOf } from '../../../harness/runtime/container/container-logs.js'

describe('resuming a followed log from its last timestamp', () => {
  it("turns the engine's RFC 3339 timestamp into the seconds.nanoseconds form of `since`", () => {
    expect(sinceOf('2026-11-27T04:04:53.889058781Z')).toBe(`${Date.UTC(2026, 10, 27, 4, 4, 53) / 1000}.889058781`)
    expect(sinceOf('2026-11-27T04:04:53.5Z')).toBe(`${Date.UTC(2026, 10, 27, 4, 4, 53) / 1000}.500000000`)
    expect(sinceOf('2026-11-27T04:04:53Z')).toBe(`${Date.UTC(2026, 10, 27, 4, 4, 53) / 1000}.000000000`)
  })

  it('reads from the start when the timestamp is not one', () => {
    expect(sinceOf('garbage')).toBe('0')
  })
})
