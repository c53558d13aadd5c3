import { describe, expect, it } from 'vitest'
import { withDependents } from '../../../harness/runtime/project/dependents-first.js'

// The project of the lifecycle scenarios: db <- app <- web (a link), watcher on db, worker alone.
const containers = [
  { service: 'db', dependsOn: [] },
  { service: 'app', dependsOn: ['db'] },
  { service: 'web', dependsOn: ['app'] },
  { service: 'watcher', dependsOn: ['db'] },
  { service: 'worker', dependsOn: [] },
]

describe('what down SERVICE removes of a project known by its name, as Compose v2 removes it', () => {
  it('the services named and every service that depends on them, however far down', () => {
    expect(withDependents(containers, ['db']).sort()).toEqual(['app', 'db', 'watcher', 'web'])
    expect(withDependents(containers, ['app']).sort()).toEqual(['app', 'web'])
  })

  it('nothing more for a service nothing depends on, nor for one no container has', () => {
    expect(withDependents(containers, ['web'])).toEqual(['web'])
    expect(withDependents(containers, ['worker', 'gone'])).toEqual(['worker', 'gone'])
  })

  it('ends on labels that close a cycle (written by other tools)', () => {
    const cycle = [
      { service: 'a', dependsOn: ['c'] },
      { service: 'b', dependsOn: ['a'] },
      { service: 'c', dependsOn: ['b'] },
      { service: 'd', dependsOn: [] },
    ]
    expect(withDependents(cycle, ['a']).sort()).toEqual(['a', 'b', 'c'])
  })
})
