import { describe, expect, it } from 'vitest'
import { networksToRemove } from '../../../harness/runtime/project/leftovers.js'

describe('which networks down SERVICE removes once the services’ containers are gone', () => {
  it('one no container is on and none of the project names: removed, as Compose v2 removes it', () => {
    expect(networksToRemove([{ name: 'p_default', attached: 0 }], [])).toEqual(['p_default'])
  })

  it('not one a running container is on, the project’s or not: still in use, as v2 says', () => {
    const networks = [
      { name: 'p_default', attached: 1 },
      { name: 'p_back', attached: 0 },
    ]
    expect(networksToRemove(networks, [{ networks: ['p_default'] }])).toEqual(['p_back'])
    expect(networksToRemove([{ name: 'p_front', attached: 2 }], [])).toEqual([])
  })

  it('not one only a stopped container of the project names, where v2 removes it (the divergence)', () => {
    expect(networksToRemove([{ name: 'p_default', attached: 0 }], [{ networks: ['p_default'] }])).toEqual([])
    expect(networksToRemove([{ name: 'p_default', attached: 0 }], [{ networks: ['p_other'] }])).toEqual(['p_default'])
  })
})
