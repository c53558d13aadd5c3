import { describe, expect, it } from 'vitest'
import { loadInline, problemsOf } from '../support/load-inline.js'

describe('validating references between services', () => {
  it('names a links or depends_on entry that points at no service', () => {
    expect(problemsOf('services:\n  web:\n    image: w\n    links: ["cache:c"]\n    depends_on: [db]\n')).toEqual([
      'compose.yml:4:13 services.web.links[0]: undefined service "cache"',
      'compose.yml:5:18 services.web.depends_on.db: undefined service "db"',
    ])
  })

  it('names a dependency cycle the same way whatever order the file uses', () => {
    const cycle = 'compose.yml:%L:3 services.a: dependency cycle: a -> c -> b -> a'
    expect(
      problemsOf(
        'services:\n  a:\n    image: i\n    depends_on: [c]\n  b:\n    image: i\n    links: [a]\n  c:\n    image: i\n    depends_on: [b]\n',
      ),
    ).toEqual([cycle.replace('%L', '2')])
    expect(
      problemsOf(
        'services:\n  c:\n    image: i\n    depends_on: [b]\n  b:\n    image: i\n    links: [a]\n  a:\n    image: i\n    depends_on: [c]\n',
      ),
    ).toEqual([cycle.replace('%L', '8')])
  })
})

describe('optional dependencies', () => {
  it('drop a dependency that is not required and not in the project, with a warning', () => {
    const { project, plan } = loadInline(
      'services:\n  web:\n    image: w\n    depends_on:\n      cache: {required: false}\n',
    )
    expect(project.warnings).toEqual([
      'service "web" goes on without its optional dependency "cache", which is not in the project',
    ])
    expect(plan.dependencies.get('web')).toEqual([])
  })
})

describe('planning the start', () => {
  it('orders every service after what it waits for, ties in declaration order', () => {
    const { plan } = loadInline(
      'services:\n  web:\n    image: w\n    depends_on: [api]\n  api:\n    image: a\n    links: [db, cache]\n  cache:\n    image: c\n  db:\n    image: d\n  tool:\n    image: t\n',
    )
    expect(plan.order).toEqual(['cache', 'db', 'api', 'web', 'tool'])
    expect(plan.dependencies.get('api')).toEqual(['db', 'cache'])
    expect(plan.dependents.get('db')).toEqual(['api'])
    expect(plan.dependents.get('web')).toEqual([])
  })
})
