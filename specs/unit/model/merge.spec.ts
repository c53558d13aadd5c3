import { describe, expect, it } from 'vitest'
import { loadInline } from '../support/load-inline.js'

const base = `
services:
  web:
    image: web
    command: ["serve", "--port", "80"]
    expose: ["80", "81"]
    environment: [A=1, B=2]
    build: ./web
    links: [db]
  db:
    image: db
`

describe('merging several files like -f a.yml -f b.yml', () => {
  const merged = (override: string) => loadInline(base, { overrides: [override] }).project.services.web!

  it('replaces command instead of appending to it', () => {
    expect(merged('services:\n  web:\n    command: run\n').command).toEqual(['run'])
  })

  it('appends expose without repeating what is already there', () => {
    expect(merged('services:\n  web:\n    expose: ["81", "82"]\n').expose).toEqual(['80', '81', '82'])
  })

  it('merges environment key by key, across list and mapping forms', () => {
    expect(merged('services:\n  web:\n    environment:\n      B: three\n      C: "4"\n').environment).toEqual({
      A: '1',
      B: 'three',
      C: '4',
    })
  })

  it('merges a build string with a build mapping', () => {
    expect(merged('services:\n  web:\n    build:\n      dockerfile: Dockerfile.dev\n').build).toEqual({
      context: '/project/web',
      dockerfile: 'Dockerfile.dev',
      args: {},
      options: {},
      settings: {},
    })
  })

  it('adds a service that only the override defines', () => {
    expect(
      Object.keys(loadInline(base, { overrides: ['services:\n  cache:\n    image: redis\n'] }).project.services),
    ).toEqual(['web', 'db', 'cache'])
  })

  it('locates a problem in the file that wrote the offending value', () => {
    expect(() => loadInline(base, { overrides: ['services:\n  web:\n    links: [nowhere]\n'] })).toThrow(
      'compose.override-1.yml:3:13 services.web.links[1]: undefined service "nowhere"',
    )
  })

  it('locates a problem in an appended list at the item of the file that wrote it', () => {
    const withBadLink = base.replace('links: [db]', 'links: [db, nowhere]')
    const override = 'services:\n  web:\n    links: ["db:one", "db:two", elsewhere]\n'
    expect(() => loadInline(withBadLink, { overrides: [override] })).toThrow(
      [
        'compose.yml:9:17 services.web.links[1]: undefined service "nowhere"',
        'compose.override-1.yml:3:33 services.web.links[4]: undefined service "elsewhere"',
      ].join('\n'),
    )
  })

  it('locates items through three files, past a file that does not touch the list', () => {
    const second = 'services:\n  db:\n    image: db2\n'
    const third = 'services:\n  web:\n    links: [db, "db:x", gone]\n'
    expect(() => loadInline(base, { overrides: [second, third] })).toThrow(
      'compose.override-2.yml:3:25 services.web.links[2]: undefined service "gone"',
    )
  })

  it('honours !reset and !override, even where no earlier file set the key', () => {
    const { project } = loadInline(
      'services:\n  web:\n    image: w\n    dns: [10.0.0.1]\n    environment: {A: "1"}\n    labels: {a: "1"}\n',
      {
        overrides: [
          'services:\n  web:\n    dns: !reset []\n    environment: !override {B: "2"}\n    labels: {a: !reset , b: "2"}\n    hostname: !override h\n',
        ],
      },
    )
    expect(project.services.web!.host.dns).toBeUndefined()
    expect(project.services.web!.environment).toEqual({ B: '2' })
    expect(project.services.web!.labels).toEqual({ b: '2' })
    expect(project.services.web!.hostname).toBe('h')
  })
})
