import { availableParallelism } from 'node:os'
import { describe, expect, inject, it } from 'vitest'
import { ServiceStartError, type BuildEvent } from '../../../harness/index.js'
import { connectEngine } from '../../../harness/runtime/engine/engine.js'
import { fileTime, leftOf, startedAt } from '../support/observe.js'
import { runtimeFixture } from '../support/test-projects.js'

describe.skipIf(!inject('engineReady'))('depends_on conditions', () => {
  it('starts a service_healthy dependent only once its dependency is healthy', async () => {
    await using project = await runtimeFixture('healthy-dependency').up()
    const db = project.service('db')
    expect((await db.inspect()).State.Health?.Status).toBe('healthy')
    expect(await startedAt(project.service('web'))).toBeGreaterThan(await fileTime(db, '/tmp/ready'))
  })

  it('fails up with the service name and its last health check output when a dependency is unhealthy, leaving nothing', async () => {
    const compose = runtimeFixture('unhealthy-dependency')
    const name = compose.load().project.name
    const failure = await compose.up().then(
      () => undefined,
      (error: unknown) => error,
    )
    expect(failure).toBeInstanceOf(ServiceStartError)
    expect((failure as Error).message).toMatch(
      /^service "db" failed at the health check: it is unhealthy; last health check \(exit 1\): database is not accepting connections$/m,
    )
    expect(await leftOf(name)).toEqual([])
  })

  it('fails up on a dependency that fails while another is still awaited, without waiting that one out', async () => {
    const compose = runtimeFixture('failing-beside-waiting')
    const name = compose.load().project.name
    const timeoutMs = 60_000
    const began = Date.now()
    const failure = await compose.up({ timeoutMs }).then(
      () => undefined,
      (error: unknown) => error,
    )
    // broker comes first in web's depends_on and is not ready before the wait's timeout: db's
    // failure, thrown before that, shows that both were waited for at once (Compose 2.40 waits
    // broker out, then fails with the same error: divergence dependency-failure-at-once).
    expect((failure as Error).message).toMatch(/^service "db" failed at the health check: it is unhealthy/m)
    expect(Date.now() - began).toBeLessThan(timeoutMs)
    expect(await leftOf(name)).toEqual([])
  }, 120_000)

  it('starts a dependent of a one-shot service only after the one-shot exited 0', async () => {
    await using project = await runtimeFixture('one-shot').up()
    const migrate = await project.service('migrate').inspect()
    expect(migrate.State.ExitCode).toBe(0)
    expect(await startedAt(project.service('api'))).toBeGreaterThanOrEqual(Date.parse(migrate.State.FinishedAt))
    expect(await project.service('migrate').logs()).toEqual(['migrated'])
  })

  it('fails up with the exit code and last log lines of a one-shot that fails, leaving nothing', async () => {
    const compose = runtimeFixture('one-shot', 'failing.yml')
    const name = compose.load().project.name
    const failure = await compose.up().then(
      () => undefined,
      (error: unknown) => error,
    )
    expect((failure as Error).message).toBe(
      'service "migrate" failed at completion (exit code 3): it did not complete successfully\nlast log lines of migrate:\n  relation users already exists',
    )
    expect(await leftOf(name)).toEqual([])
  })

  it('goes on with a warning when an optional dependency fails', async () => {
    const warnings: string[] = []
    await using project = await runtimeFixture('optional-dependency').up({ onWarning: (w) => warnings.push(w) })
    expect((await project.service('app').inspect()).State.Running).toBe(true)
    expect(warnings).toEqual([
      expect.stringMatching(
        /^service "app" starts without its optional dependency "flaky": service "flaky" failed at completion \(exit code 1\)/,
      ),
    ])
  })

  it('restarts the restart: true dependents of a recreated dependency, keeps the others as they are (Compose 2.40)', async () => {
    const compose = runtimeFixture('restart-dependent')
    await using first = await compose.up()
    const before = Object.fromEntries(
      await Promise.all(['app', 'other', 'alone'].map(async (s) => [s, await startedAt(first.service(s))] as const)),
    )
    const events: string[] = []
    const second = await compose
      .withEnvironment({ DB_VERSION: '2' })
      .up({ onEvent: (e) => events.push(`${e.service}:${e.action}`) })
    expect(events.sort()).toEqual(['alone:kept', 'app:restarted', 'db:recreated', 'other:kept'])
    expect(second.service('db').id).not.toBe(first.service('db').id)
    for (const service of ['app', 'other', 'alone']) expect(second.service(service).id).toBe(first.service(service).id)
    expect(await startedAt(second.service('app'))).toBeGreaterThan(before.app!)
    expect(await startedAt(second.service('other'))).toBe(before.other)
    expect(await startedAt(second.service('alone'))).toBe(before.alone)
  })
})

describe.skipIf(!inject('engineReady'))('parallel start', () => {
  it('starts each service as soon as its own dependencies are satisfied, not a whole level at a time', async () => {
    await using project = await runtimeFixture('parallel-start').up()
    const slowReady = await fileTime(project.service('slow'), '/tmp/ready')
    expect(await startedAt(project.service('after-fast'))).toBeLessThan(slowReady)
    expect(await startedAt(project.service('after-slow'))).toBeGreaterThan(slowReady)
  })
})

describe.skipIf(!inject('engineReady'))('parallel builds', () => {
  it('builds images side by side, as many at once as the machine has cores (at most 4)', async () => {
    const events: BuildEvent[] = []
    await runtimeFixture('parallel-builds').build('always', (event) => events.push(event))
    let building = 0
    let most = 0
    for (const event of events) {
      if (event.kind === 'building') most = Math.max(most, ++building)
      if (event.kind === 'built') building--
    }
    expect(
      events
        .filter((e) => e.kind === 'built')
        .map((e) => e.service)
        .sort(),
    ).toEqual(['first', 'second', 'third'])
    expect(most).toBe(Math.min(availableParallelism(), 4, 3))
  })
})

describe.skipIf(!inject('engineReady'))('build flags', () => {
  it('builds only the services named, with --build-arg over the file and --no-cache every step again', async () => {
    const image = `chtest-build-flags-${process.pid}`
    const fixture = runtimeFixture('parallel-builds').withOverride({
      services: { first: { image, init: true, command: ['sleep', 'infinity'] } },
    })
    const events: BuildEvent[] = []
    const docker = (await connectEngine()).container.dockerode
    const build = () =>
      fixture.build('always', (e) => events.push(e), {
        services: ['first'],
        buildArgs: { NAME: 'from-the-flag' },
        noCache: true,
      })
    try {
      await build()
      expect(events.filter((e) => e.kind === 'built').map((e) => e.service)).toEqual(['first'])
      const firstId = (await docker.getImage(image).inspect()).Id
      // The same build again: with the cache it would be the same image; without, every step runs anew.
      await build()
      expect((await docker.getImage(image).inspect()).Id).not.toBe(firstId)
      await using project = await fixture.up({ services: ['first'], build: 'never' })
      expect((await project.service('first').exec(['cat', '/name'])).stdout.trim()).toBe('from-the-flag')
    } finally {
      await docker
        .getImage(image)
        .remove({ force: true })
        .catch(() => {})
    }
  })
})
