import { resolve } from 'node:path'
import { describe, expect, inject, it } from 'vitest'
import { Compose } from '../../../harness/index.js'
import { leftOf, resolveFrom, startedAt } from '../support/observe.js'
import { runtimeFixture } from '../support/test-projects.js'

const collect = () => {
  const events: string[] = []
  return { events, onEvent: (e: { service: string; action: string }) => events.push(`${e.service}:${e.action}`) }
}

describe.skipIf(!inject('engineReady'))('up on an existing project', () => {
  it('starts a stopped container again instead of replacing it', async () => {
    const compose = runtimeFixture('pair')
    await using first = await compose.up()
    await first.stop({ services: ['app'], timeoutS: 0 })
    expect((await first.service('app').inspect()).State.Running).toBe(false)
    const { events, onEvent } = collect()
    const second = await compose.up({ onEvent })
    expect(events.sort()).toEqual(['app:started', 'db:kept'])
    expect(second.service('app').id).toBe(first.service('app').id)
    expect((await second.service('app').inspect()).State.Running).toBe(true)
  })

  it('recreates everything with force, and nothing with no-recreate even when the file changed', async () => {
    const compose = runtimeFixture('pair')
    await using first = await compose.up()
    const forced = await compose.up({ recreate: 'force' })
    expect(forced.service('db').id).not.toBe(first.service('db').id)
    expect(forced.service('app').id).not.toBe(first.service('app').id)
    const kept = await compose.withEnvironment({ PAIR_MODE: 'two' }).up({ recreate: 'never' })
    expect(kept.service('app').id).toBe(forced.service('app').id)
    expect((await kept.service('app').inspect()).Config.Env).toContain('MODE=one')
  })

  it('reports containers of services no longer in the files, and removes them when asked', async () => {
    const compose = runtimeFixture('pair')
    await using first = await compose.up()
    const dbOnly = Compose.fromFiles(resolve('fixtures/runtime/pair/db-only.yml')).withProjectName(first.name)
    const warnings: string[] = []
    await dbOnly.up({ onWarning: (w) => warnings.push(w) })
    expect(warnings).toEqual([
      `Found orphan containers (${first.name}-app-1) for this project. If you removed or renamed this service in your compose file, run up with --remove-orphans to clean them up.`,
    ])
    const { events, onEvent } = collect()
    await dbOnly.up({ removeOrphans: true, onEvent })
    expect(events.sort()).toEqual(['app:removed', 'db:kept'])
    expect((await leftOf(first.name)).sort()).toEqual([`/${first.name}-db-1`, `${first.name}_default`])
  })
})

describe.skipIf(!inject('engineReady'))('stop, start, restart and down', () => {
  it('stops dependents before what they depend on, and starts them after it', async () => {
    await using project = await runtimeFixture('pair').up()
    await project.stop()
    const app = await project.service('app').inspect()
    const db = await project.service('db').inspect()
    expect(Date.parse(app.State.FinishedAt)).toBeLessThanOrEqual(Date.parse(db.State.FinishedAt))
    await project.start()
    expect(await startedAt(project.service('app'))).toBeGreaterThanOrEqual(await startedAt(project.service('db')))
    expect((await project.service('app').inspect()).State.Running).toBe(true)
  })

  it('stops, starts and restarts a single service, leaving the others alone', async () => {
    await using project = await runtimeFixture('pair').up()
    const dbStarted = await startedAt(project.service('db'))
    await project.stop({ services: ['app'] })
    expect((await project.service('app').inspect()).State.Running).toBe(false)
    expect((await project.service('db').inspect()).State.Running).toBe(true)
    await project.start({ services: ['app'] })
    expect((await project.service('app').inspect()).State.Running).toBe(true)
    await project.restart({ services: ['db'] })
    expect(await startedAt(project.service('db'))).toBeGreaterThan(dbStarted)
  })

  it("keeps a named volume's data across down and up, and removes it with down -v", async () => {
    const compose = runtimeFixture('named-volume')
    const first = await compose.up()
    expect((await first.service('store').exec(['sh', '-c', 'echo kept > /data/file'])).exitCode).toBe(0)
    await first.down()
    expect(await leftOf(first.name)).toEqual([`${first.name}_data`])
    await using second = await compose.up()
    expect((await second.service('store').exec(['cat', '/data/file'])).stdout).toBe('kept\n')
    await second.down({ volumes: true })
    expect(await leftOf(second.name)).toEqual([])
  })
})

describe.skipIf(!inject('engineReady'))('scale', () => {
  it('runs one container a replica, numbered from 1, all reachable under the service name', async () => {
    await using project = await runtimeFixture('scale').up()
    const workers = project.containers('worker')
    expect(workers.map((w) => w.name)).toEqual([1, 2, 3].map((n) => `${project.name}-worker-${n}`))
    const addresses = (
      await Promise.all(
        workers.map(async (w) => (await w.inspect()).NetworkSettings.Networks[`${project.name}_default`]!.IPAddress),
      )
    ).sort()
    expect(await resolveFrom(project.service('client'), 'worker')).toEqual(addresses)
  })

  it('scales down to the number asked for, removing the highest numbers', async () => {
    const compose = runtimeFixture('scale')
    await using first = await compose.up()
    const { events, onEvent } = collect()
    const second = await compose.up({ scale: { worker: 1 }, onEvent })
    expect(second.containers('worker').map((w) => w.id)).toEqual([first.service('worker', 1).id])
    expect(events.filter((e) => e.startsWith('worker')).sort()).toEqual([
      'worker:kept',
      'worker:removed',
      'worker:removed',
    ])
  })
})
