import { describe, expect, it } from 'vitest'
import { asksAhead, Spares, testsToCome, type TaskTree } from '../../../harness/vitest/spares.js'

/** A project that notes its removal. */
function project(name: string, removed: string[]): AsyncDisposable & { name: string } {
  return {
    name,
    [Symbol.asyncDispose]: async () => {
      removed.push(name)
    },
  }
}

/** Ups that each give the next name in turn, or fail where the name is `fail`. */
function ups(names: string[], removed: string[]) {
  let next = 0
  return () => {
    const name = names[next++]!
    return name === 'fail' ? Promise.reject(new Error('up failed')) : Promise.resolve(project(name, removed))
  }
}

describe('projects brought up ahead of the tests that take them', () => {
  it('brings up only as many as asked, and gives them in the order they started', async () => {
    const removed: string[] = []
    const spares = new Spares(ups(['a', 'b', 'c'], removed))
    spares.fill(2)
    spares.fill(2)
    expect((await spares.take())?.name).toBe('a')
    spares.fill(2)
    expect((await spares.take())?.name).toBe('b')
    expect((await spares.take())?.name).toBe('c')
    expect(spares.take()).toBeUndefined()
    await spares.drain()
    expect(removed).toEqual([])
  })

  it('gives a failed up to its taker, and removes at the drain only the ones no test took', async () => {
    const removed: string[] = []
    const spares = new Spares(ups(['fail', 'b', 'c'], removed))
    spares.fill(3)
    await expect(spares.take()).rejects.toThrow('up failed')
    expect((await spares.take())?.name).toBe('b')
    await spares.drain()
    expect(removed).toEqual(['c'])
    expect(spares.take()).toBeUndefined()
  })

  it('throws at the drain what failed of the removals, after trying them all', async () => {
    const removed: string[] = []
    const failing = (name: string): AsyncDisposable => ({
      [Symbol.asyncDispose]: () => Promise.reject(new Error(`${name} stays`)),
    })
    const one = new Spares<AsyncDisposable>(() => Promise.resolve(failing('x')))
    one.fill(1)
    await expect(one.drain()).rejects.toThrow('x stays')
    const names = ['y', 'z', 'w']
    let next = 0
    const many = new Spares<AsyncDisposable>(() => {
      const name = names[next++]!
      return Promise.resolve(name === 'w' ? project(name, removed) : failing(name))
    })
    many.fill(3)
    await expect(many.drain()).rejects.toThrow('2 projects brought up ahead were not removed in full')
    expect(removed).toEqual(['w'])
  })
})

describe('the tests still to come in a file', () => {
  const test = (mode: string, result?: unknown): TaskTree => ({ type: 'test', mode, result })
  it('counts the tests vitest will run that have not started, besides the current one', () => {
    const current = test('run', { state: 'run' })
    const file: TaskTree = {
      type: 'suite',
      mode: 'run',
      tasks: [
        test('run', { state: 'pass' }),
        current,
        test('run'),
        { type: 'suite', mode: 'run', tasks: [test('run'), test('skip'), test('todo'), test('only')] },
        { type: 'suite', mode: 'skip', tasks: [test('skip')] },
      ],
    }
    expect(testsToCome(file, current)).toBe(3)
    expect(testsToCome({ type: 'suite', mode: 'run', tasks: [current] }, current)).toBe(0)
  })
})

describe('whether projects are to be brought up ahead', () => {
  it('only with ahead above 0 and a project for each test, not reused', () => {
    expect(asksAhead(undefined, 'test', false)).toBe(false)
    expect(asksAhead(0, 'file', false)).toBe(false)
    expect(asksAhead(2, 'test', false)).toBe(true)
    expect(asksAhead(2, 'test', true)).toBe(false)
  })

  it('refuses an ahead that is not a whole number from 0, or one with a shared scope', () => {
    expect(() => asksAhead(1.5, 'test', false)).toThrow('a whole number from 0: not 1.5')
    expect(() => asksAhead(-1, 'test', false)).toThrow('a whole number from 0: not -1')
    expect(() => asksAhead(1, 'file', false)).toThrow('with scope "file" they share one')
    expect(() => asksAhead(1, 'worker', true)).not.toThrow()
  })
})
