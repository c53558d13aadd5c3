import { describe, expect, it } from 'vitest'
import { loadInline, problemsOf, webProblems, webService } from '../../support/load-inline.js'

const twoNetworks = (serviceNetworks: string) =>
  loadInline(
    `services:\n  web:\n    image: w\n    networks: ${serviceNetworks}\nnetworks:\n  front: {}\n  back:\n    internal: true\n`,
  ).project

describe('networks', () => {
  it('put a service without networks on the default network', () => {
    expect(webService('').networks).toEqual({ default: { aliases: [] } })
  })

  it('read a list or a mapping with aliases', () => {
    expect(twoNetworks('[front, back]').services.web!.networks).toEqual({
      front: { aliases: [] },
      back: { aliases: [] },
    })
    expect(twoNetworks('{front: {aliases: [www, site]}, back: null}').services.web!.networks).toEqual({
      front: { aliases: ['www', 'site'], settingsWritten: true },
      back: { aliases: [] },
    })
  })

  it('name each network after the project unless it is external or named', () => {
    expect(twoNetworks('[front]').networks).toEqual({
      front: { name: 'project_front', external: false, internal: false, labels: {}, options: {} },
      back: { name: 'project_back', external: false, internal: true, labels: {}, options: {} },
    })
  })

  it('add the implicit default network only when a service is on it, whatever its profiles, as compose-go adds it', () => {
    const on = (service: string) =>
      loadInline(`services:\n  web:\n    image: w\n    networks: [front]\n${service}networks:\n  front: {}\n`).project
    expect(Object.keys(on('').networks)).toEqual(['front'])
    expect(Object.keys(on('  tool:\n    image: t\n    profiles: [tools]\n').networks)).toEqual(['default', 'front'])
    expect(Object.keys(on('  host:\n    image: h\n    network_mode: host\n').networks)).toEqual(['front'])
  })

  it('report an undefined network and network_mode together with networks', () => {
    expect(webProblems('networks: [nowhere]')).toEqual([
      'compose.yml:4:16 services.web.networks.nowhere: undefined network "nowhere"',
    ])
    expect(webProblems('network_mode: host\nnetworks: [default]')).toEqual([
      'compose.yml:4:5 services.web.network_mode: cannot be combined with `networks`',
    ])
  })

  it('read extra_hosts as a list or a mapping', () => {
    expect(webService('extra_hosts: ["db:10.0.0.5", "v6=::1", "cache:[::2]"]').extraHosts).toEqual({
      db: ['10.0.0.5'],
      v6: ['::1'],
      cache: ['::2'],
    })
    expect(webService('extra_hosts: {db: 10.0.0.5}').extraHosts).toEqual({ db: ['10.0.0.5'] })
    expect(webProblems('extra_hosts: [nohost]')).toEqual([
      'compose.yml:4:19 services.web.extra_hosts[0]: expected "host:address" or "host=address", got "nohost:"',
    ])
  })

  it('load the old external: {name} form as Compose v2 does, and refuse it beside another name', () => {
    const { project } = loadInline('services:\n  web:\n    image: w\nnetworks:\n  ext:\n    external: {name: real}\n')
    expect(project.networks.ext).toMatchObject({ name: 'real', external: true })
    expect(
      problemsOf('services:\n  web:\n    image: w\nnetworks:\n  ext:\n    name: other\n    external: {name: real}\n'),
    ).toEqual(['compose.yml:7:5 networks.ext.external: gives the name "real", and name: another ("other"): give one'])
  })
})
