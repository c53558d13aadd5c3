import { describe, expect, it } from 'vitest'
import {
  admitted,
  counted,
  fitsIn,
  losesEndpointCounts,
  RELEASES_AT_ONCE,
  turnRequest,
  type Under,
} from '../../../harness/runtime/engine/endpoint-turns.js'

const under = (entries: Record<string, Partial<Under>>): Map<string, Under> =>
  new Map(Object.entries(entries).map(([n, u]) => [n, { release: 0, start: 0, ...u }]))

describe('turns on a network for its endpoints', () => {
  it('are taken on Docker before 23 (API 1.42), not on later engines, Podman, or an engine that does not say', () => {
    expect(losesEndpointCounts('1.41', false)).toBe(true)
    expect(losesEndpointCounts('1.40', false)).toBe(true)
    expect(losesEndpointCounts('1.42', false)).toBe(false)
    expect(losesEndpointCounts('1.45', false)).toBe(false)
    expect(losesEndpointCounts('1.51', false)).toBe(false)
    expect(losesEndpointCounts('1.41', true)).toBe(false)
    expect(losesEndpointCounts('', false)).toBe(false)
  })

  it('let two containers stop at once on a network, and a third wait', () => {
    expect(RELEASES_AT_ONCE).toBe(2)
    expect(fitsIn(under({ a: { release: 1 } }), 'release', ['a'])).toBe(true)
    expect(fitsIn(under({ a: { release: 2 } }), 'release', ['a'])).toBe(false)
    expect(fitsIn(under({ a: { release: 2 } }), 'release', ['b'])).toBe(true)
    expect(fitsIn(under({ a: { release: 2 } }), 'release', ['b', 'a'])).toBe(false)
  })

  it('never let a container start beside one stopping on the same network, whatever their numbers', () => {
    expect(fitsIn(under({ a: { start: 1 } }), 'release', ['a'])).toBe(false)
    expect(fitsIn(under({ a: { release: 1 } }), 'start', ['a'])).toBe(false)
    expect(fitsIn(under({ a: { release: 1 } }), 'start', ['b'])).toBe(true)
  })

  it('let any number of containers start at once', () => {
    expect(fitsIn(under({ a: { start: 40 } }), 'start', ['a'])).toBe(true)
  })

  it('are counted up and down network by network, never below zero', () => {
    const one = counted(new Map(), 'release', ['a', 'b'], 1)
    expect(Object.fromEntries(one)).toEqual({ a: { release: 1, start: 0 }, b: { release: 1, start: 0 } })
    expect(Object.fromEntries(counted(one, 'release', ['a'], -1))).toEqual({
      a: { release: 0, start: 0 },
      b: { release: 1, start: 0 },
    })
    expect(counted(new Map(), 'start', ['a'], -1).get('a')).toEqual({ release: 0, start: 0 })
  })

  it('are given in order, counting those given before, and a later one passes one that must wait', () => {
    const release = (...networks: string[]) => ({ kind: 'release' as const, networks })
    const start = (...networks: string[]) => ({ kind: 'start' as const, networks })
    expect(admitted([release('a'), release('a'), release('a')], new Map())).toEqual([0, 1])
    expect(admitted([release('a'), release('a'), release('b')], under({ a: { release: 1 } }))).toEqual([0, 2])
    expect(admitted([start('a'), release('a'), start('a')], new Map())).toEqual([0, 2])
    expect(admitted([release('a'), start('a'), start('b')], new Map())).toEqual([0, 2])
    expect(admitted([release('a')], under({ a: { release: 2 } }))).toEqual([])
  })

  it('are asked for by the requests that stop or start a container, as dockerode sends them', () => {
    const request = (method: string, path: string, options?: Record<string, unknown>) =>
      turnRequest({ method, path, options })
    expect(request('POST', '/containers/abc/start?')).toEqual({ kind: 'start', container: 'abc', prompt: false })
    expect(request('POST', '/v1.41/containers/p-web-1/stop?', {})).toEqual({
      kind: 'release',
      container: 'p-web-1',
      prompt: false,
    })
    expect(request('POST', '/containers/abc/stop?', { t: 0 })?.prompt).toBe(true)
    expect(request('POST', '/containers/abc/stop?', { t: 10 })?.prompt).toBe(false)
    expect(request('POST', '/containers/abc/restart?', { t: '0' })).toEqual({
      kind: 'release',
      container: 'abc',
      prompt: true,
    })
    expect(request('POST', '/containers/abc/kill?', {})?.prompt).toBe(true)
    expect(request('POST', '/containers/abc/kill?', { signal: 'SIGKILL' })?.prompt).toBe(true)
    expect(request('POST', '/containers/abc/kill?', { signal: 'SIGTERM' })).toEqual({
      kind: 'release',
      container: 'abc',
      prompt: false,
    })
    expect(request('DELETE', '/containers/abc?', { v: true, force: true })).toEqual({
      kind: 'release',
      container: 'abc',
      prompt: true,
    })
  })

  it("are asked for by a network's connect and disconnect of a container, on that network alone", () => {
    const request = (path: string, options: Record<string, unknown>) => turnRequest({ method: 'POST', path, options })
    expect(request('/networks/p_default/connect', { Container: 'abc', EndpointConfig: {} })).toEqual({
      kind: 'start',
      container: 'abc',
      prompt: true,
      network: 'p_default',
    })
    expect(request('/v1.41/networks/p_back/disconnect', { Container: 'abc' })).toEqual({
      kind: 'release',
      container: 'abc',
      prompt: true,
      network: 'p_back',
    })
  })

  it('are not asked for by any other request', () => {
    const request = (method: string, path: string, options?: Record<string, unknown>) =>
      turnRequest({ method, path, options })
    expect(request('DELETE', '/containers/abc?', { v: true })).toBeUndefined()
    expect(request('POST', '/containers/create?', { Image: 'x' })).toBeUndefined()
    expect(request('GET', '/containers/abc/json')).toBeUndefined()
    expect(request('POST', '/containers/abc/pause')).toBeUndefined()
    expect(request('POST', '/containers/abc/wait')).toBeUndefined()
    expect(request('POST', '/networks/abc/disconnect', {})).toBeUndefined()
    expect(request('DELETE', '/networks/abc')).toBeUndefined()
  })
})
