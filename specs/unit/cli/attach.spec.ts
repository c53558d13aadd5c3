import { describe, expect, it } from 'vitest'
import { attachedTo } from '../../../harness/cli/attach.js'
import { envFlag } from '../../../harness/cli/options.js'

// The services a foreground `up` streams, as Compose v2 picks them (cmd/compose/up.go).
describe('which services a foreground up attaches to', () => {
  const picked = (options: Parameters<typeof attachedTo>[1], fileAttach: Record<string, boolean> = {}) =>
    ['db', 'app', 'web'].filter((s) => attachedTo(s, options, fileAttach[s]))

  it('all, with no service named, but those the file gives attach: false or --no-attach names', () => {
    expect(picked({})).toEqual(['db', 'app', 'web'])
    expect(picked({}, { db: false })).toEqual(['app', 'web'])
    expect(picked({ noAttach: ['web'] })).toEqual(['db', 'app'])
  })

  it('the services named, and what they depend on only with --attach-dependencies', () => {
    expect(picked({ services: ['web'] })).toEqual(['web'])
    expect(picked({ services: ['web'], attachDependencies: true })).toEqual(['db', 'app', 'web'])
    expect(picked({ services: ['web'], attachDependencies: true }, { db: false })).toEqual(['app', 'web'])
  })

  it('those --attach gives, over the file, the services named and --attach-dependencies; never those of --no-attach', () => {
    expect(picked({ services: ['web'], attach: ['db'] }, { db: false })).toEqual(['db'])
    expect(picked({ attach: ['db', 'app'], noAttach: ['app'] })).toEqual(['db'])
  })
})

describe('a switch in the environment (COMPOSE_REMOVE_ORPHANS)', () => {
  it.each([
    ['1', true],
    ['true', true],
    [' TRUE ', true],
    ['t', true],
    ['y', true],
    ['yes', false],
    ['0', false],
    ['', false],
    [undefined, false],
  ])('%j is %s, as Compose v2 reads it', (value, expected) => {
    expect(envFlag('COMPOSE_REMOVE_ORPHANS', { COMPOSE_REMOVE_ORPHANS: value })).toBe(expected)
  })
})
