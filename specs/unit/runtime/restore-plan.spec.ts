import { describe, expect, it } from 'vitest'
import {
  nothingToRestore,
  restorePlan,
  type RestoreInput,
  type StackContainer,
} from '../../../harness/runtime/project/restore-plan.js'

const order = ['db', 'web', 'job']

function c(service: string, number = 1, over: Partial<StackContainer> = {}): StackContainer {
  return { id: `${service}-${number}`, service, number, state: 'running', networks: ['p_default'], ...over }
}

const baseline = [c('db'), c('web'), c('web', 2), c('job', 1, { state: 'exited', exitCode: 0 })]

function plan(now: StackContainer[], touched: string[] = [], input: Partial<RestoreInput> = {}) {
  return restorePlan({ baseline, now, touched: new Set(touched), order, ...input })
}

describe('putting a shared stack back', () => {
  it('has nothing to do when the engine has what it had after up', () => {
    expect(nothingToRestore(plan(baseline))).toBe(true)
  })

  it('starts again, dependencies first, what a test stopped or killed, and what crashed', () => {
    const now = [
      c('db', 1, { state: 'exited', exitCode: 137 }),
      c('web', 1, { state: 'exited', exitCode: 0 }),
      c('web', 2),
      baseline[3]!,
    ]
    const p = plan(now, ['web-1'])
    expect(p.start.map((x) => x.id)).toEqual(['db-1', 'web-1'])
    expect(p.upAgain).toBe(false)
    expect(nothingToRestore(p)).toBe(false)
  })

  it('leaves a container that exited 0 on its own, and a one-shot that had already exited', () => {
    const now = [
      c('db'),
      c('web', 1, { state: 'exited', exitCode: 0 }),
      c('web', 2),
      c('job', 1, { state: 'exited', exitCode: 0 }),
    ]
    expect(plan(now).start).toEqual([])
    expect(nothingToRestore(plan(now))).toBe(true)
  })

  it('starts a container a test left created and not started', () => {
    expect(
      plan([c('db', 1, { state: 'created' }), c('web'), c('web', 2), baseline[3]!]).start.map((x) => x.id),
    ).toEqual(['db-1'])
  })

  it('unpauses what a test paused, and leaves it out of the start list', () => {
    const p = plan([c('db', 1, { state: 'paused' }), c('web'), c('web', 2), baseline[3]!])
    expect(p.unpause.map((x) => x.id)).toEqual(['db-1'])
    expect(p.start).toEqual([])
  })

  it('attaches the networks a test took away and detaches those it added', () => {
    const now = [
      c('db', 1, { networks: [] }),
      c('web', 1, { networks: ['p_default', 'other'] }),
      c('web', 2),
      baseline[3]!,
    ]
    const p = plan(now)
    expect(p.connect.map((x) => [x.container.id, x.network])).toEqual([['db-1', 'p_default']])
    expect(p.disconnect.map((x) => [x.container.id, x.network])).toEqual([['web-1', 'other']])
  })

  it('removes containers beyond the baseline and brings up again what is gone', () => {
    const scaledUp = plan([...baseline, c('web', 3)])
    expect(scaledUp.remove.map((x) => x.id)).toEqual(['web-3'])
    expect(scaledUp.upAgain).toBe(false)
    const scaledDown = plan([c('db'), c('web'), baseline[3]!])
    expect(scaledDown.upAgain).toBe(true)
  })

  it('notices a container replaced under the same number', () => {
    const p = plan([c('db', 1, { id: 'db-new' }), c('web'), c('web', 2), baseline[3]!])
    expect(p.replaced).toBe(true)
    expect(nothingToRestore(p)).toBe(false)
  })

  it('starts a replaced container that the test touched under its old id', () => {
    const now = [c('db', 1, { id: 'db-new', state: 'exited', exitCode: 0 }), c('web'), c('web', 2), baseline[3]!]
    expect(plan(now, ['db-1']).start.map((x) => x.id)).toEqual(['db-new'])
  })
})
