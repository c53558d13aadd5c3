import { describe, expect, it } from 'vitest'
import { withDependencies } from '../../../harness/model/project/graph.js'

// web -> app -> db, web -> cache, worker alone.
const dependsOn: Record<string, string[]> = { web: ['app', 'cache'], app: ['db'], db: [], cache: [], worker: [] }
const next = (s: string) => dependsOn[s] ?? []

describe('a walk along the dependency graph (withDependencies)', () => {
  it('reaches every service down the chain, each once, what it depends on before it', () => {
    expect(withDependencies(['web'], next)).toEqual(['db', 'app', 'cache', 'web'])
    expect(withDependencies(['app', 'web'], next)).toEqual(['db', 'app', 'cache', 'web'])
  })

  it('adds nothing to a service that depends on nothing, and keeps a name it does not know', () => {
    expect(withDependencies(['worker', 'gone'], next)).toEqual(['worker', 'gone'])
  })

  it('passes over an edge back to a service on the way, as labels other tools wrote may close a cycle', () => {
    const cycle: Record<string, string[]> = { a: ['b'], b: ['c'], c: ['a'] }
    expect(withDependencies(['a'], (s) => cycle[s] ?? [])).toEqual(['c', 'b', 'a'])
  })
})
