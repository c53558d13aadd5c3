import { describe, expect, it } from 'vitest'
import { stepEffects, type ResourceState } from '../../../harness/conformance/lifecycle-states.js'

const up = (id: string, startedAt = 't1'): ResourceState => ({ id, startedAt, running: true })
const down = (id: string, startedAt = 't1'): ResourceState => ({ id, startedAt, running: false })

describe('what a lifecycle step did', () => {
  it('tells created, removed, recreated, restarted, started, stopped and kept apart', () => {
    const before = new Map([
      ['c kept', up('a')],
      ['c gone', up('b')],
      ['c new-id', up('c')],
      ['c restarted', up('d')],
      ['c started', down('e')],
      ['c stopped', up('f')],
    ])
    const after = new Map([
      ['c kept', up('a')],
      ['c new-id', up('x')],
      ['c restarted', up('d', 't2')],
      ['c started', up('e', 't2')],
      ['c stopped', down('f')],
      ['c created', up('g')],
    ])
    expect(Object.fromEntries(stepEffects(before, after))).toEqual({
      'c created': 'created',
      'c gone': 'removed',
      'c kept': 'kept',
      'c new-id': 'recreated',
      'c restarted': 'restarted',
      'c started': 'started',
      'c stopped': 'stopped',
    })
  })

  it('sees a one-shot that ran again (exited before and after, started anew) as started', () => {
    expect(stepEffects(new Map([['c', down('a')]]), new Map([['c', down('a', 't2')]])).get('c')).toBe('started')
  })
})
