import { describe, expect, it } from 'vitest'
import { loadInline, webProblems, webService } from '../../support/load-inline.js'

describe('volumes and tmpfs', () => {
  it('read named, bind and anonymous mounts from the short syntax', () => {
    const { project } = loadInline(
      'services:\n  web:\n    image: w\n    volumes: ["data:/var/lib/data:ro", "./conf:/etc/conf", "~/cache:/cache:z", "/scratch"]\nvolumes:\n  data: {}\n',
      { env: { HOME: '/home/me' } },
    )
    expect(project.services.web!.volumes).toEqual([
      { type: 'volume', source: 'data', target: '/var/lib/data', readOnly: true, volumeSettings: true },
      { type: 'bind', source: '/project/conf', target: '/etc/conf', readOnly: false, createHostPath: true },
      {
        type: 'bind',
        source: '/home/me/cache',
        target: '/cache',
        readOnly: false,
        createHostPath: true,
        options: ['z'],
      },
      { type: 'volume', target: '/scratch', readOnly: false, volumeSettings: true },
    ])
    expect(project.volumes).toEqual({ data: { name: 'project_data', external: false, labels: {} } })
  })

  it('read the long syntax', () => {
    expect(
      webService('volumes: [{type: bind, source: ./src, target: /src, read_only: true}, {type: tmpfs, target: /tmp}]')
        .volumes,
    ).toEqual([
      { type: 'bind', source: '/project/src', target: '/src', readOnly: true },
      { type: 'tmpfs', target: '/tmp', readOnly: false },
    ])
  })

  it('name an undeclared named volume, a relative target and an unknown option', () => {
    expect(webProblems('volumes: ["data:/d", "x:rel", "./a:/a:bogus"]')).toEqual([
      'compose.yml:4:15 services.web.volumes[0]: undefined volume "data": declare it under the top-level volumes',
      'compose.yml:4:26 services.web.volumes[1]: invalid volume "x:rel": the target must be an absolute path in the container',
      'compose.yml:4:26 services.web.volumes[1]: undefined volume "x": declare it under the top-level volumes',
      'compose.yml:4:35 services.web.volumes[2]: invalid volume "./a:/a:bogus": unknown option bogus',
    ])
  })

  it('read tmpfs as a string or a list', () => {
    expect(webService('tmpfs: /run').tmpfs).toEqual(['/run'])
    expect(webService('tmpfs: [/run, "/tmp:size=64m"]').tmpfs).toEqual(['/run', '/tmp:size=64m'])
  })

  it('keep external volumes under their own name', () => {
    const { project } = loadInline(
      'services:\n  web:\n    image: w\nvolumes:\n  shared:\n    external: true\n  named:\n    name: exact\n',
    )
    expect(project.volumes).toEqual({
      shared: { name: 'shared', external: true, labels: {} },
      named: { name: 'exact', external: false, labels: {} },
    })
  })
})
