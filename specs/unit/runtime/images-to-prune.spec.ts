import { describe, expect, it } from 'vitest'
import { familiarTagged } from '../../../harness/runtime/images/image-reference.js'
import { imagesToPrune, prunedServices, type PruneInput } from '../../../harness/runtime/project/images-to-prune.js'

// built: built under the default name; custom: built under the name the files give it; db: an image named, never built.
const input: PruneInput = {
  project: 'p',
  rmi: 'local',
  removeOrphans: false,
  separator: '-',
  services: prunedServices('p', '-', [
    { name: 'built', image: 'p-built' },
    { name: 'custom', image: 'team/app:dev' },
    { name: 'db', image: 'docker.io/library/postgres:16' },
  ]),
  labelled: [
    { tags: ['team/app:dev', 'team/app:old'], service: 'custom' },
    { tags: ['p-gone:latest'], service: 'gone' },
    { tags: [], service: 'built' },
  ],
}
const everything = () => true

describe('the images down --rmi removes, as Compose v2 picks them', () => {
  it('local: the labelled images of the files’ services (their first tag) and the default-named ones', () => {
    expect(imagesToPrune(input, everything)).toEqual(['p-built:latest', 'team/app:dev'])
  })

  it('all: every image a service names too, as the docker CLI shows it, each once', () => {
    expect(imagesToPrune({ ...input, rmi: 'all' }, everything)).toEqual([
      'p-built:latest',
      'postgres:16',
      'team/app:dev',
    ])
  })

  it('only the names the engine has; with --remove-orphans, the labelled images of services gone from the files', () => {
    expect(imagesToPrune({ ...input, rmi: 'all' }, (name) => name !== 'p-built')).toEqual([
      'postgres:16',
      'team/app:dev',
    ])
    expect(imagesToPrune({ ...input, removeOrphans: true }, everything)).toEqual([
      'p-built:latest',
      'p-gone:latest',
      'team/app:dev',
    ])
  })

  it('under --compatibility, the default name joined with _', () => {
    const services = prunedServices('p', '_', [{ name: 'built', image: 'p_built' }])
    expect(imagesToPrune({ ...input, separator: '_', services, labelled: [] }, everything)).toEqual(['p_built:latest'])
  })
})

describe('an image reference as the docker CLI shows it', () => {
  it('with latest added to a bare name, and Docker Hub’s domain and library/ left out', () => {
    expect(familiarTagged('postgres')).toBe('postgres:latest')
    expect(familiarTagged('docker.io/library/postgres:16')).toBe('postgres:16')
    expect(familiarTagged('index.docker.io/team/app')).toBe('team/app:latest')
    expect(familiarTagged('registry:5000/app')).toBe('registry:5000/app:latest')
    expect(familiarTagged('app@sha256:abc')).toBe('app@sha256:abc')
    expect(familiarTagged('docker.io/library/a/b:1')).toBe('library/a/b:1')
  })
})
