import { readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import { Compose } from '../../../harness/api/compose.js'
import { ComposeError } from '../../../harness/model/document/compose-error.js'
import { loadCompose } from '../../../harness/model/pipeline/load.js'
import { toComposeDocument } from '../../../harness/model/pipeline/to-compose.js'
import type { ComposeProject } from '../../../harness/model/project/types.js'

const INVALID = resolve('fixtures/invalid')
const VALID = resolve('fixtures/valid')
const environment = { HOME: '/home/tester' }

/** `compose.yml` first, then its overrides in name order, as `docker compose` picks them up. */
function composeFiles(dir: string): string[] {
  const names = readdirSync(dir).filter((f) => /^compose(\..+)?\.ya?ml$/.test(f))
  return names
    .sort((a, b) => (a === 'compose.yml' ? -1 : b === 'compose.yml' ? 1 : a.localeCompare(b)))
    .map((f) => join(dir, f))
}

/** What a model says, without where it came from. */
/** The model without what says how the files were written: `config` prints what env files give, not the files, as v2 does. */
function essence(project: ComposeProject) {
  const services = Object.fromEntries(
    Object.entries(project.services).map(
      ([name, { declared: _declared, envFiles: _envFiles, ownEnvironment: _ownEnvironment, ...rest }]) => [name, rest],
    ),
  )
  return {
    name: project.name,
    services,
    networks: project.networks,
    volumes: project.volumes,
    disabled: project.disabled,
  }
}

describe('the invalid corpus', () => {
  const files = readdirSync(INVALID)
    .filter((f) => f.endsWith('.yml'))
    .sort()

  it('has at least 30 files', () => {
    expect(files.length).toBeGreaterThanOrEqual(30)
  })

  it.each(files)('%s fails with exactly the problems it names', (name) => {
    const file = join(INVALID, name)
    const expected = [...readFileSync(file, 'utf8').matchAll(/^# expect: (.*)$/gm)].map(
      (m) => `${file}${m[1]!.replaceAll('<dir>', INVALID)}`,
    )
    expect(expected.length).toBeGreaterThan(0)
    const load = () => Compose.fromFiles(file).withEnvironment(environment).load()
    expect(load).toThrow(ComposeError)
    try {
      load()
    } catch (error) {
      expect((error as ComposeError).message.split('\n')).toEqual(expected)
    }
  })
})

describe('the valid corpus', () => {
  const projects = readdirSync(VALID).sort()

  it('has at least 10 projects', () => {
    expect(projects.length).toBeGreaterThanOrEqual(10)
  })

  it.each(projects)('%s loads, and its config output loads again into the same model', (name) => {
    const dir = join(VALID, name)
    const { project } = Compose.fromFiles(...composeFiles(dir))
      .withEnvironment(environment)
      .withProfiles('*')
      .load()
    expect(Object.keys(project.services).length).toBeGreaterThan(0)
    const printed = stringify(toComposeDocument(project))
    const again = loadCompose([{ file: 'config.yml', text: printed }], {
      projectDirectory: dir,
      lookup: (n) => environment[n as 'HOME'],
      profiles: ['*'],
    })
    expect(essence(again.project)).toEqual(essence(project))
  })

  it('applies .env, env_file, defaults and $$ the way Compose does', () => {
    const { project } = Compose.fromFiles(join(VALID, 'env-files/compose.yml')).withEnvironment({ GID: '50' }).load()
    expect(project.services.app).toMatchObject({
      image: 'example/app:2.1',
      user: '1000:50',
      environment: { DB_HOST: 'db', DB_PORT: '5432', MODE: 'test', GREETING: '${NOT_INTERPOLATED}' },
    })
  })

  it('merges the development override over the base file', () => {
    const { project } = Compose.fromFiles(...composeFiles(join(VALID, 'dev-override'))).load()
    expect(project.services.app).toMatchObject({
      command: ['node', '--watch', 'server.js'],
      environment: { LOG_LEVEL: 'debug', PORT: '3000' },
      labels: { 'com.example.stage': 'dev' },
      build: { context: join(VALID, 'dev-override'), dockerfile: 'Dockerfile' },
    })
    expect(project.services.app!.ports.map((p) => p.target)).toEqual([3000, 9229])
  })

  it('resolves anchors and merge keys in the shared settings', () => {
    const { project } = Compose.fromFiles(join(VALID, 'anchors-extensions/compose.yml')).load()
    expect(project.services['worker-b']).toMatchObject({
      restart: 'on-failure:3',
      environment: { TZ: 'UTC', EXTRA: 'yes' },
      labels: { 'com.example.team': 'core' },
    })
  })
})
