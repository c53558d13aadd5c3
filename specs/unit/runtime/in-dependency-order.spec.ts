import { describe, expect, it } from 'vitest'
import { inDependencyOrder } from '../../../harness/runtime/project/in-dependency-order.js'

/** A task whose completion the spec controls, recording when each service began. */
function controlledTasks() {
  const began: string[] = []
  const release = new Map<string, () => void>()
  const task = (service: string) => {
    began.push(service)
    return new Promise<void>((resolve) => release.set(service, resolve))
  }
  const settle = () => new Promise((r) => setImmediate(r))
  return { began, release: (s: string) => release.get(s)!(), task, settle }
}

describe('inDependencyOrder', () => {
  it('starts a service as soon as its own dependencies are done, not a whole level', async () => {
    // fast ← a, slow ← b: b must not wait for fast's dependent a, nor a for slow.
    const deps: Record<string, string[]> = { slow: [], fast: [], a: ['fast'], b: ['slow'] }
    const t = controlledTasks()
    const all = inDependencyOrder(Object.keys(deps), (s) => deps[s]!, t.task)
    await t.settle()
    expect(t.began).toEqual(['slow', 'fast'])
    t.release('fast')
    await t.settle()
    expect(t.began).toEqual(['slow', 'fast', 'a'])
    t.release('a')
    t.release('slow')
    await t.settle()
    expect(t.began).toEqual(['slow', 'fast', 'a', 'b'])
    t.release('b')
    await all
  })

  it('skips the dependents of a failed service and throws its error', async () => {
    const began: string[] = []
    const deps: Record<string, string[]> = { db: [], web: ['db'], tool: [] }
    const run = inDependencyOrder(
      Object.keys(deps),
      (s) => deps[s]!,
      async (s) => {
        began.push(s)
        if (s === 'db') throw new Error('db failed')
      },
    )
    await expect(run).rejects.toThrow('db failed')
    expect(began).toEqual(['db', 'tool'])
  })

  it('ignores an edge that would close a cycle instead of waiting forever', async () => {
    const began: string[] = []
    const deps: Record<string, string[]> = { a: ['b'], b: ['a'] }
    await inDependencyOrder(
      ['a', 'b'],
      (s) => deps[s]!,
      async (s) => void began.push(s),
    )
    expect(began.sort()).toEqual(['a', 'b'])
  })
})
