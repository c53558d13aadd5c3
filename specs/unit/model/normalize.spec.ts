import { describe, expect, it } from 'vitest'
import { loadInline, problemsOf, webService } from '../support/load-inline.js'

describe('normalizing a service', () => {
  it('names the image of a service that only builds after the project and service', () => {
    expect(webService('build: .').image).toBe('project-web')
  })

  it('fills the defaults of everything left out', () => {
    expect(webService('')).toEqual({
      name: 'web',
      image: 'web',
      expose: [],
      ports: [],
      links: [],
      dependsOn: {},
      environment: {},
      labels: {},
      networks: { default: { aliases: [] } },
      volumes: [],
      volumesFrom: [],
      tmpfs: [],
      extraHosts: {},
      profiles: [],
      replicas: 1,
      resources: {},
      run: {},
      host: {},
      secrets: [],
      configs: [],
      extras: {},
      declared: ['image'],
    })
  })

  it('keeps other keys of the specification as written, and ignores x- extensions', () => {
    const web = loadInline(
      'services:\n  web:\n    image: web\n    cpu_shares: 512\n    x-note: ignored\n    secrets: [token]\nsecrets:\n  token:\n    file: ./token.txt\n',
    ).project.services.web!
    expect(web.extras).toEqual({ cpu_shares: 512, secrets: ['token'] })
    expect(web.declared).toEqual(['image', 'cpu_shares', 'secrets'])
  })

  it('reports a secret or config that is not declared at the top level, as Compose v2 does', () => {
    expect(problemsOf('services:\n  web:\n    image: w\n    secrets: [token]\n    configs: [{source: app}]\n')).toEqual(
      [
        'compose.yml:4:15 services.web.secrets[0]: undefined secret "token": declare it under the top-level secrets',
        'compose.yml:5:15 services.web.configs[0]: undefined config "app": declare it under the top-level configs',
      ],
    )
  })

  it('reports every problem of a file at once, in file order, with line, column and key', () => {
    expect(
      problemsOf(`services:
  web:
    expose: [0]
    links: [5]
    ports: 5
    colour: blue
  db: {}
  bad: 5
`),
    ).toEqual([
      'compose.yml:2:3 services.web: needs an `image` or a `build`',
      'compose.yml:3:14 services.web.expose[0]: expected a container port or range such as "2000" or "3000-3005/udp", got a number (0)',
      'compose.yml:4:13 services.web.links[0]: expected "service" or "service:alias", got a number (5)',
      'compose.yml:5:5 services.web.ports: expected a list, got a number (5)',
      'compose.yml:6:5 services.web.colour: unknown key',
      'compose.yml:7:3 services.db: needs an `image` or a `build`',
      'compose.yml:8:3 services.bad: expected a mapping, got a number (5)',
    ])
  })

  it('adds what include brings, its paths its own directory’s, and refuses a name both define', () => {
    const files = {
      '/project/db/compose.yml': 'services:\n  db:\n    image: pg:${PG}\n    build: ./img\nvolumes:\n  data: {}\n',
      '/project/db/.env': 'PG=15\n',
    }
    const { project } = loadInline('include: [db/compose.yml]\nservices:\n  web:\n    image: w\n', { files })
    expect(Object.keys(project.services)).toEqual(['web', 'db'])
    expect(project.services.db).toMatchObject({ image: 'pg:15', build: { context: '/project/db/img' } })
    expect(Object.keys(project.volumes)).toEqual(['data'])
    expect(problemsOf('include: [db/compose.yml]\nservices:\n  db:\n    image: w\n', { files })).toEqual([
      'compose.yml:1:11 include[0]: services.db of db/compose.yml conflicts with services.db of this file',
    ])
  })

  it('resolves extends: a base of the same file or of another, read through the caller, merged under the service', () => {
    const { project } = loadInline(
      'services:\n  base: {image: b, environment: {A: "1", B: "1"}, dns: [10.0.0.1]}\n' +
        '  web:\n    extends: base\n    environment: {B: "2"}\n    dns: [10.0.0.2]\n' +
        '  tool:\n    extends: {file: lib/tools.yml, service: t}\n' +
        '  remote:\n    extends: {file: lib/tools.yml, service: r}\n',
      {
        files: {
          '/project/lib/tools.yml':
            'services:\n  t:\n    build: ./t\n    env_file: t.env\n  r:\n    build: github.com/example/tool\n',
          '/project/lib/t.env': 'FROM_T=1\n',
        },
      },
    )
    expect(project.services.web).toMatchObject({
      image: 'b',
      environment: { A: '1', B: '2' },
      host: { dns: ['10.0.0.1', '10.0.0.2'] },
    })
    expect(project.services.tool!.build).toMatchObject({ context: '/project/lib/t' })
    expect(project.services.tool!.environment).toEqual({ FROM_T: '1' })
    // A remote context stays as written, wherever the base is.
    expect(project.services.remote!.build).toMatchObject({ context: 'github.com/example/tool' })
  })

  it('accepts version with a warning that it is obsolete, and refuses unknown top-level keys', () => {
    expect(loadInline('version: "3.8"\nservices:\n  web:\n    image: w\n').project.warnings).toEqual([
      'compose.yml: `version` is obsolete and ignored',
    ])
    expect(problemsOf('servics:\n  web:\n    image: w\n')).toEqual(['compose.yml:1:1 servics: unknown top-level key'])
  })

  it('names the last of the files that writes version in its warning', () => {
    const warning = (base: string, override: string) =>
      loadInline(`${base}services:\n  web:\n    image: w\n`, { overrides: [override] }).project.warnings
    expect(warning('version: "3"\n', 'services: {}\n')).toEqual(['compose.yml: `version` is obsolete and ignored'])
    expect(warning('', 'version: "3"\n')).toEqual(['compose.override-1.yml: `version` is obsolete and ignored'])
    expect(warning('version: "2"\n', 'version: "3"\n')).toEqual([
      'compose.override-1.yml: `version` is obsolete and ignored',
    ])
  })

  it('loads a file without services, as Compose v2 does (up then has nothing to start)', () => {
    expect(loadInline('services: {}\n').project.services).toEqual({})
    expect(loadInline('name: only-a-name\n').project.name).toBe('only-a-name')
  })
})

describe('the project name', () => {
  const named = (text: string, options: Parameters<typeof loadInline>[1] = {}) => loadInline(text, options).project.name

  it('comes from -p, then COMPOSE_PROJECT_NAME, then name:, then the directory', () => {
    const text = 'name: from-file\nservices:\n  web:\n    image: w\n'
    expect(named(text, { projectName: 'explicit', env: { COMPOSE_PROJECT_NAME: 'from-env' } })).toBe('explicit')
    expect(named(text, { env: { COMPOSE_PROJECT_NAME: 'from-env' } })).toBe('from-env')
    expect(named(text)).toBe('from-file')
    expect(named('services:\n  web:\n    image: w\n')).toBe('project')
  })

  it('is made valid from name:, as Compose v2 does, and refused from -p when it has characters Compose does not allow', () => {
    expect(named('name: My_App!\nservices:\n  web:\n    image: w\n')).toBe('my_app')
    expect(problemsOf('services:\n  web:\n    image: w\n', { projectName: '-x' })[0]).toMatch(
      /^compose\.yml:1:1: invalid project name "-x" \(from the project name given\)/,
    )
  })
})
