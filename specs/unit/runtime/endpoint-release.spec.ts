import { describe, expect, it } from 'vitest'
import { admitted, fitsIn, losesEndpointCounts } from '../../../harness/runtime/engine/endpoint-release.js'

describe('releasing endpoints in turns', () => {
  it('is needed on Docker before 23 (API 1.42), not on later engines, Podman, or an engine that does not say', () => {
    expect(losesEndpointCounts('1.41', false)).toBe(true)
    expect(losesEndpointCounts('1.40', false)).toBe(true)
    expect(losesEndpointCounts('1.42', false)).toBe(false)
    expect(losesEndpointCounts('1.45', false)).toBe(false)
    expect(losesEndpointCounts('1.51', false)).toBe(false)
    expect(losesEndpointCounts('1.41', true)).toBe(false)
    expect(losesEndpointCounts('', false)).toBe(false)
  })

  it('lets a release begin while each of its networks has fewer than the limit under way', () => {
    const inFlight = new Map([
      ['a', 2],
      ['b', 1],
    ])
    expect(fitsIn(inFlight, ['b'], 2)).toBe(true)
    expect(fitsIn(inFlight, ['c'], 2)).toBe(true)
    expect(fitsIn(inFlight, ['a'], 2)).toBe(false)
    expect(fitsIn(inFlight, ['b', 'a'], 2)).toBe(false)
  })

  it('admits the waiting in order, counting those admitted before, and lets one pass that waits on another network', () => {
    expect(admitted([['a'], ['a'], ['a'], ['a']], new Map(), 2)).toEqual([0, 1])
    expect(admitted([['a'], ['a'], ['b']], new Map([['a', 1]]), 2)).toEqual([0, 2])
    expect(admitted([['a', 'b'], ['b'], ['b']], new Map([['a', 2]]), 2)).toEqual([1, 2])
    expect(admitted([['a']], new Map([['a', 2]]), 2)).toEqual([])
  })
})
