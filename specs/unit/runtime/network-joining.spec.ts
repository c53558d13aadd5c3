import { describe, expect, it } from 'vitest'
import { joiningOf } from '../../../harness/runtime/create/service-container.js'

// Which networks a container is created on (Compose 2.40's convergence: all of them from API 1.44,
// the first one before), and which it is connected to before its start.
describe('network joining', () => {
  const on = (...names: string[]) => ({ networks: names.map((network) => ({ network, aliases: [], links: [] })) })
  const names = (j: ReturnType<typeof joiningOf>) => [
    j.atCreate.map((n) => n.network),
    j.afterCreate.map((n) => n.network),
  ]

  it('creates a container on all its networks when the engine takes them together', () => {
    expect(names(joiningOf(on('front', 'back', 'db'), true))).toEqual([['front', 'back', 'db'], []])
  })

  it('creates it on its first network and connects it to the others when the engine is older', () => {
    expect(names(joiningOf(on('front', 'back', 'db'), false))).toEqual([['front'], ['back', 'db']])
    expect(names(joiningOf(on(), false))).toEqual([[], []])
  })
})
