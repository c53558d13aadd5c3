import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadCompose } from '../../../harness/model/pipeline/load.js'

const dir = resolve('fixtures/echo')
const source = (name: string) => ({ file: resolve(dir, name), text: readFileSync(resolve(dir, name), 'utf8') })
const load = (...names: string[]) => loadCompose(names.map(source), { projectDirectory: dir, lookup: () => undefined })

describe('the echo fixtures', () => {
  it('load into two services linked under the alias talkto, echo-server first', () => {
    const { project, plan } = load('docker-compose.yml')
    expect(project.name).toBe('echo')
    expect(project.services['echo-server']).toMatchObject({
      name: 'echo-server',
      image: 'server',
      expose: ['2000'],
      links: [],
      dependsOn: {},
      environment: {},
    })
    expect(project.services.client).toMatchObject({
      name: 'client',
      image: 'client',
      expose: [],
      links: [{ service: 'echo-server', alias: 'talkto' }],
    })
    // The link is a dependency with restart: true, as Compose v2 reads it.
    expect(project.services.client!.dependsOn).toEqual({
      'echo-server': { condition: 'service_started', required: true, restart: true },
    })
    expect(project.services['echo-server']!.build).toBeUndefined()
    expect(Object.keys(project.services)).toEqual(['echo-server', 'client'])
    expect(project.services.client!.networks).toEqual({ default: { aliases: [] } })
    expect(plan.order).toEqual(['echo-server', 'client'])
    expect(plan.dependencies.get('client')).toEqual(['echo-server'])
    expect(plan.dependents.get('echo-server')).toEqual(['client'])
    expect(project.warnings).toEqual([`${resolve(dir, 'docker-compose.yml')}: \`version\` is obsolete and ignored`])
  })

  it("gain a build from the build file, resolved against the first file's directory, keeping the image tags", () => {
    const { project } = load('docker-compose.yml', 'docker-compose.build.yml')
    expect(project.files).toEqual([resolve(dir, 'docker-compose.yml'), resolve(dir, 'docker-compose.build.yml')])
    expect(project.services['echo-server']).toMatchObject({
      image: 'server',
      build: { context: resolve('.'), dockerfile: 'Dockerfile.server', args: {} },
    })
    expect(project.services.client).toMatchObject({
      image: 'client',
      build: { context: resolve('.'), dockerfile: 'Dockerfile.client', args: {} },
    })
    expect(project.services.client!.links).toEqual([{ service: 'echo-server', alias: 'talkto' }])
  })
})
