import { describe, expect, it } from 'vitest'
import { loadInline, webProblems, webService } from '../../support/load-inline.js'

describe('depends_on and links', () => {
  it('read depends_on as a list or as a mapping with its defaults', () => {
    const { project } = loadInline(
      'services:\n  web:\n    image: w\n    depends_on:\n      db: {condition: service_healthy, restart: true}\n      migrate: {condition: service_completed_successfully, required: false}\n  db:\n    image: d\n  migrate:\n    image: m\n',
    )
    expect(project.services.web!.dependsOn).toEqual({
      db: { condition: 'service_healthy', required: true, restart: true },
      migrate: { condition: 'service_completed_successfully', required: false, restart: false },
    })
  })

  it('give a link without an alias the service name as its host name', () => {
    const { project } = loadInline(
      'services:\n  web:\n    image: w\n    links: [db, "db:database"]\n  db:\n    image: d\n',
    )
    expect(project.services.web!.links).toEqual([
      { service: 'db', alias: 'db' },
      { service: 'db', alias: 'database' },
    ])
  })

  it('accept a missing dependency that is not required', () => {
    expect(webService('depends_on: {gone: {required: false}}').dependsOn).toEqual({
      gone: { condition: 'service_started', required: false, restart: false },
    })
  })

  it('report an unknown condition and an unknown key', () => {
    expect(webProblems('depends_on: {db: {condition: ready, wait: 5}}')).toEqual([
      'compose.yml:4:23 services.web.depends_on.db.condition: expected one of service_started, service_healthy, service_completed_successfully, got a string ("ready")',
      'compose.yml:4:41 services.web.depends_on.db.wait: unknown key (expected one of condition, required, restart)',
    ])
  })

  it('make network_mode service: and volumes_from services start first', () => {
    const { plan } = loadInline(
      'services:\n  app:\n    image: a\n    network_mode: "service:vpn"\n    volumes_from: ["data:ro"]\n  vpn:\n    image: v\n  data:\n    image: d\n',
    )
    expect(plan.order).toEqual(['vpn', 'data', 'app'])
  })
})

describe('build, command and entrypoint', () => {
  it('read build as a context string or a mapping with args and target', () => {
    expect(webService('build: ./app').build).toEqual({
      context: '/project/app',
      dockerfile: 'Dockerfile',
      args: {},
      options: {},
      settings: {},
    })
    expect(webService('build: {context: /abs, dockerfile: Dockerfile.dev, args: [V=1], target: dev}').build).toEqual({
      context: '/abs',
      dockerfile: 'Dockerfile.dev',
      args: { V: '1' },
      target: 'dev',
      options: {},
      settings: {},
    })
  })

  it('keep a string command distinguishable from a list command', () => {
    expect(webService('command: sh -c "echo hi"').command).toEqual(['sh', '-c', 'echo hi'])
    expect(webService('entrypoint: ["a b", c]').entrypoint).toEqual(['a b', 'c'])
  })

  it('report an unterminated quote and a nested list', () => {
    expect(webProblems('command: echo "open')).toEqual([
      'compose.yml:4:5 services.web.command: has an unterminated quote: echo "open',
    ])
    expect(webProblems('entrypoint: [[a]]')).toEqual([
      'compose.yml:4:5 services.web.entrypoint: expected a string or a list of strings, got a list',
    ])
  })
})
