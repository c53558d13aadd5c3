import { describe, expect, it } from 'vitest'
import { downScope } from '../../../harness/api/down-scope.js'
import { loadCompose } from '../../../harness/model/pipeline/load.js'

// web depends on api, api on db; tool stands alone on a network of its own. db and tool mount named volumes.
const FILE = `
name: p
services:
  db:
    image: postgres:16
    volumes: [data:/var/lib/postgresql/data]
  api:
    build: .
    depends_on: [db]
    networks: [default, back]
  web:
    build: .
    image: team/web:dev
    links: [api]
  tool:
    image: busybox
    networks: [tools]
    volumes: [cache:/cache]
networks:
  back: {}
  tools:
    name: shared-tools
volumes:
  data: {}
  cache: {}
`
const loaded = loadCompose([{ file: '/p/compose.yml', text: FILE }], {
  projectDirectory: '/p',
  lookup: () => undefined,
})

describe('what down weighs of the files, as Compose v2 reads them for it', () => {
  it('down SERVICE: the services named and what they depend on, and only the networks and volumes those use', () => {
    expect(downScope(loaded, ['web'])).toEqual({
      serviceImages: [{ name: 'db', image: 'postgres:16' }, { name: 'api' }, { name: 'web', image: 'team/web:dev' }],
      resources: { networks: ['p_default', 'p_back'], volumes: ['p_data'] },
    })
    expect(downScope(loaded, ['tool']).resources).toEqual({ networks: ['shared-tools'], volumes: ['p_cache'] })
  })

  it('down: every service, and the networks and volumes they use, an external one left out', () => {
    const external = loadCompose(
      [{ file: '/p/compose.yml', text: FILE.replace('name: shared-tools', 'name: shared-tools\n    external: true') }],
      { projectDirectory: '/p', lookup: () => undefined },
    )
    const { serviceImages, resources } = downScope(external, undefined)
    expect(serviceImages?.map((s) => s.name).sort()).toEqual(['api', 'db', 'tool', 'web'])
    expect(resources?.networks.slice().sort()).toEqual(['p_back', 'p_default'])
    expect(resources?.volumes.slice().sort()).toEqual(['p_cache', 'p_data'])
  })
})
