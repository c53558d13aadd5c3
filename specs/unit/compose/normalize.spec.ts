import { describe, expect, it } from 'vitest'
import { loadInline, problemsOf } from '../support/load-inline.js'

const service = (yaml: string, env?: Record<string, string>) =>
  loadInline(`services:\n  web:\n${yaml.replace(/^/gm, '    ')}\n`, { ...(env && { env }) }).project.services.web!

describe('normalizing service keys', () => {
  it('names the image of a service that only builds after the project and service', () => {
    expect(service('build: .').image).toBe('project-web')
  })

  it('expands expose entries into one port and protocol each', () => {
    expect(service('image: w\nexpose: [2000, "3000-3002/udp"]').expose).toEqual(['2000/tcp', '3000/udp', '3001/udp', '3002/udp'])
  })

  it('gives a link without an alias the service name as its host name', () => {
    const { project } = loadInline('services:\n  web:\n    image: w\n    links: [db, "db:database"]\n  db:\n    image: d\n')
    expect(project.services.web!.links).toEqual([{ service: 'db', alias: 'db' }, { service: 'db', alias: 'database' }])
  })

  it('reads depends_on as a list or as a mapping with its defaults', () => {
    const { project } = loadInline('services:\n  web:\n    image: w\n    depends_on:\n      db:\n        restart: true\n  db:\n    image: d\n')
    expect(project.services.web!.dependsOn).toEqual({ db: { condition: 'service_started', required: true, restart: true } })
  })

  it('takes an environment entry without a value from the caller\'s environment, or drops it', () => {
    expect(service('image: w\nenvironment: [FROM_SHELL, MISSING, "EMPTY=", "N=5"]', { FROM_SHELL: 'yes' }).environment).toEqual({
      FROM_SHELL: 'yes', EMPTY: '', N: '5',
    })
  })

  it('keeps a string command distinguishable from a list command', () => {
    expect(service('image: w\ncommand: sh -c "echo hi"').command).toEqual({ form: 'string', text: 'sh -c "echo hi"', args: ['sh', '-c', 'echo hi'] })
    expect(service('image: w\nentrypoint: ["a b", c]').entrypoint).toEqual({ form: 'exec', args: ['a b', 'c'] })
  })

  it('reports every problem of a file at once, in file order, with line, column and key', () => {
    expect(problemsOf(`services:
  web:
    expose: [0]
    links: [5]
    ports: ["80:80"]
    colour: blue
  db: {}
  bad: 5
`)).toEqual([
      'compose.yml:3:14 services.web.expose[0]: expected a container port or range such as "2000" or "3000-3005/udp", got a number (0)',
      'compose.yml:4:13 services.web.links[0]: expected "service" or "service:alias", got a number (5)',
      'compose.yml:5:5 services.web.ports: is not supported by compose-harness yet',
      'compose.yml:6:5 services.web.colour: unknown key',
      'compose.yml:2:3 services.web: needs an `image` or a `build`',
      'compose.yml:7:3 services.db: needs an `image` or a `build`',
      'compose.yml:8:3 services.bad: expected a mapping, got a number (5)',
    ].sort(byLine))
  })

  it('refuses a depends_on condition it does not apply yet rather than ignore it', () => {
    expect(problemsOf('services:\n  web:\n    image: w\n    depends_on:\n      db:\n        condition: service_healthy\n  db:\n    image: d\n')).toEqual([
      'compose.yml:6:9 services.web.depends_on.db.condition: service_healthy is not supported by compose-harness yet',
    ])
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

  it('is refused when it has characters Compose does not allow', () => {
    expect(problemsOf('name: My_App!\nservices:\n  web:\n    image: w\n')).toEqual([
      'compose.yml:1:1 name: invalid project name "My_App!" (from name:): use lower case letters, digits, dashes and underscores, starting with a letter or digit',
    ])
  })
})

function byLine(a: string, b: string): number {
  const line = (s: string) => Number(/^[^:]+:(\d+)/.exec(s)![1])
  const col = (s: string) => Number(/^[^:]+:\d+:(\d+)/.exec(s)![1])
  return line(a) - line(b) || col(a) - col(b)
}
