import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, inject, it } from 'vitest'
import { StackRestoreError, type StartedCompose } from '../../harness/index.js'
import { composeTest } from '../../harness/vitest/compose-test.js'
import { leftOf, resolveFrom } from './support/observe.js'
import { TEST_PROJECT_PREFIX, runtimeFixture, uniqueProjectName } from './support/test-projects.js'

type Service = 'db' | 'web' | 'job'
const FILE = resolve('fixtures/runtime/shared-stack/compose.yml')
// A file-scoped fixture is defined at the top of the file, as vitest requires.
const test = composeTest<Service>({ files: [FILE], projectPrefix: `${TEST_PROJECT_PREFIX}shared-`, scope: 'file' })

/** Each container's service, number, id and state, as the engine has them now. */
async function state(project: StartedCompose<Service>): Promise<string[]> {
  const containers = await project.ps()
  return containers.map((c) => `${c.service}-${c.number} ${c.id.slice(0, 12)} ${c.state}`).sort()
}

async function health(project: StartedCompose<Service>): Promise<string | undefined> {
  return (await project.service('db').inspect()).State.Health?.Status
}

// The tests of this file share one project and run in order: each checks what the one before did
// was put back. (A test that depends on another is what a shared scope is for; vitest keeps the
// order of a file's tests unless told to shuffle them.)
describe.skipIf(!inject('engineReady'))('a project shared by the tests of a file', () => {
  let baseline: string[] = []
  let name = ''

  test('is brought up once, and a test may break it: kill, pause, disconnect, scale', async ({ compose }) => {
    name = compose.name
    baseline = await state(compose)
    expect(baseline).toEqual([
      expect.stringMatching(/^db-1 \w+ running$/),
      expect.stringMatching(/^job-1 \w+ exited$/),
      expect.stringMatching(/^web-1 \w+ running$/),
    ])
    await compose.service('db').exec(['touch', '/data/written-by-the-first-test'])
    await compose.service('web').disconnect()
    await compose.service('db').kill()
    await compose.scale('web', 3)
    await compose.service('web', 3).pause()
    expect(await state(compose)).not.toEqual(baseline)
  })

  test('gets it back as up left it: the same containers running, healthy, connected, scaled back', async ({
    compose,
  }) => {
    expect(compose.name).toBe(name)
    expect(await state(compose)).toEqual(baseline)
    expect(await health(compose)).toBe('healthy')
    expect(await resolveFrom(compose.service('web'), 'db')).toHaveLength(1)
    expect(compose.containers('web')).toHaveLength(1)
    // The one-shot was not run again, and the named volume kept its data: only a fresh project loses it.
    expect(await compose.service('job').logs()).toEqual(['job done'])
    expect((await compose.service('db').exec(['ls', '/data'])).stdout).toBe('written-by-the-first-test\n')
    await compose.stop()
    await compose.down({ services: ['web'] })
  })

  test('gets it back after the whole project was stopped and a service removed', async ({ compose }) => {
    expect(compose.name).toBe(name)
    const now = await state(compose)
    expect(now.filter((s) => !s.startsWith('web-'))).toEqual(baseline.filter((s) => !s.startsWith('web-')))
    expect(now.find((s) => s.startsWith('web-'))).toMatch(/^web-1 \w+ running$/)
    expect(await health(compose)).toBe('healthy')
    expect(await resolveFrom(compose.service('web'), 'db')).toHaveLength(1)
  })

  test('is brought up anew, named volumes emptied, for a test that takes freshCompose', async ({ freshCompose }) => {
    expect(freshCompose.name).toBe(name)
    expect((await freshCompose.service('db').exec(['ls', '/data'])).stdout).toBe('')
    expect((await state(freshCompose)).find((s) => s.startsWith('db-'))).not.toBe(baseline[0])
  })
})

describe.skipIf(!inject('engineReady'))('a shared project through the API', () => {
  it('gives turns one at a time, brings the project up anew after a turn it could not put back, and leaves nothing', async () => {
    let name: string
    {
      await using stack = await runtimeFixture('shared-stack').upShared<Service>({ timeoutMs: 4_000 })
      name = stack.project.name
      const order: string[] = []
      const turn = async (label: string) => {
        await using lease = await stack.lease()
        order.push(`${label} in`)
        await lease.project.service('web').stop(0)
        order.push(`${label} out`)
      }
      await Promise.all([turn('a'), turn('b')])
      expect(order).toEqual(['a in', 'a out', 'b in', 'b out'])
      // A healthcheck that can no longer pass: the db cannot be put back, and the turn says so.
      const broken = await stack.lease()
      const db = broken.project.service('db')
      await db.exec(['rm', '-f', '/usr/bin/test'])
      await db.stop(0)
      const failure = await broken[Symbol.asyncDispose]().then(
        () => undefined,
        (error: unknown) => error,
      )
      expect(failure).toBeInstanceOf(StackRestoreError)
      expect((failure as Error).message).toMatch(
        new RegExp(`^project "${name}" could not be put back as it was after up \\(.*db`),
      )
      const next = await stack.lease()
      expect(next.project.service('db').id).not.toBe(db.id)
      expect(await health(next.project)).toBe('healthy')
      await next[Symbol.asyncDispose]()
    }
    expect(await leftOf(name)).toEqual([])
  })
})

describe.skipIf(!inject('engineReady'))('a project shared by a vitest worker', () => {
  it('is one for the files the worker runs without isolation, and gone after them', async () => {
    const report = join(mkdtempSync(join(tmpdir(), 'worker-')), 'names')
    const prefix = `${uniqueProjectName('worker')}-`
    const run = spawnSync(
      process.execPath,
      ['node_modules/vitest/vitest.mjs', 'run', '--config', 'fixtures/vitest-worker/vitest.config.ts'],
      {
        encoding: 'utf8',
        env: { ...process.env, CI: 'true', WORKER_REPORT: report, WORKER_PREFIX: prefix },
        timeout: 120_000,
      },
    )
    expect(run.status, run.stdout + run.stderr).toBe(0)
    const names = readFileSync(report, 'utf8').trim().split('\n')
    expect(names).toHaveLength(2)
    expect(new Set(names).size).toBe(1)
    expect(names[0]).toMatch(new RegExp(`^${prefix}`))
    expect(await leftOf(names[0]!)).toEqual([])
  })
})
