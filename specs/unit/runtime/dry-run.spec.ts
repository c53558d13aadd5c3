import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { asRehearsed, dryRunAnswer, dryRunState } from '../../../harness/runtime/engine/dry-run.js'

const post = (path: string, options: Record<string, unknown> = {}) => ({ method: 'POST', path, options })

describe('a dry run (--dry-run) answers the engine requests that would change something', () => {
  it('pretends to create, start, stop and remove, and sends none of it; plain reads go to the engine', () => {
    const state = dryRunState()
    expect(
      dryRunAnswer(post('/containers/create?', { name: 'p-web-1', Image: 'web', Labels: { a: 'b' } }), state),
    ).toEqual({
      value: { Id: 'p-web-1', Warnings: [] },
    })
    expect(dryRunAnswer(post('/containers/p-web-1/start?'), state)).toEqual({ value: '' })
    expect(dryRunAnswer(post('/networks/create?', { Name: 'p_default' }), state)).toEqual({
      value: { Id: 'p_default', Warning: '' },
    })
    expect(dryRunAnswer({ method: 'DELETE', path: '/volumes/p_data?' }, state)).toEqual({ value: '' })
    // What it pretended to create reads back as the engine would have it: running and healthy.
    const inspected = dryRunAnswer({ method: 'GET', path: '/containers/p-web-1/json' }, state) as { value: unknown }
    expect(inspected.value).toMatchObject({ Name: '/p-web-1', State: { Running: true, Health: { Status: 'healthy' } } })
    expect(dryRunAnswer({ method: 'GET', path: '/networks/p_default' }, state)).toBeDefined()
    // Anything else is read from the engine.
    expect(dryRunAnswer({ method: 'GET', path: '/containers/json?' }, state)).toBeUndefined()
    expect(dryRunAnswer({ method: 'GET', path: '/containers/other/json' }, state)).toBeUndefined()
  })

  it("refuses what needs a real container's streams, in v2's words, and any request it does not know", () => {
    const state = dryRunState()
    expect(dryRunAnswer(post('/containers/abc/attach?'), state)).toEqual({
      refused: 'interactive run is not supported in dry-run mode',
    })
    expect(dryRunAnswer(post('/exec/123/start', { Detach: false }), state)).toEqual({
      refused: 'interactive exec is not supported in dry-run mode',
    })
    expect(dryRunAnswer(post('/session'), state)).toEqual({ refused: 'POST /session is not supported in dry-run mode' })
    // A pull answers an ended stream: nothing is fetched.
    const pulled = dryRunAnswer({ ...post('/images/create?'), isStream: true }, state) as { value: unknown }
    expect(pulled.value).toBeInstanceOf(Readable)
  })

  it('reads the engine as it would be had the changes been made: stopped is exited, removed is gone', () => {
    const state = dryRunState()
    dryRunAnswer(post('/containers/aaa/stop'), state)
    dryRunAnswer({ method: 'DELETE', path: '/containers/bbb?' }, state)
    const list = [
      { Id: 'aaa', Names: ['/p-web-1'], State: 'running', Status: 'Up 2 minutes' },
      { Id: 'bbb', Names: ['/p-db-1'], State: 'running', Status: 'Up 2 minutes' },
      { Id: 'ccc', Names: ['/p-app-1'], State: 'running', Status: 'Up 2 minutes' },
    ]
    const listed = asRehearsed({ method: 'GET', path: '/containers/json?' }, list, state) as typeof list
    expect(listed.map((c) => [c.Id, c.State])).toEqual([
      ['aaa', 'exited'],
      ['ccc', 'running'],
    ])
    const inspected = asRehearsed(
      { method: 'GET', path: '/containers/aaa/json' },
      { Id: 'aaa', Name: '/p-web-1', State: { Status: 'running', Running: true } },
      state,
    )
    expect(inspected).toMatchObject({ State: { Status: 'exited', Running: false } })
    // With nothing pretended, the engine's answer is handed on as it is.
    expect(asRehearsed({ method: 'GET', path: '/containers/json?' }, list, dryRunState())).toBe(list)
  })
})
