import { describe, expect, inject, it } from 'vitest'
import { ServiceStartError } from '../../../harness/index.js'
import { listensOn } from '../../../harness/runtime/container/port-probe.js'
import { leftOf } from '../support/observe.js'
import { runtimeFixture } from '../support/test-projects.js'

describe.skipIf(!inject('engineReady'))('waiting for services', () => {
  it('returns only once each service reached what it was told to wait for, by service name', async () => {
    await using project = await runtimeFixture('waits').up({
      waitFor: {
        http: { http: { port: 8080, path: '/index.html' } },
        tcp: { port: 7000 },
        logger: { log: /^ready to serve$/ },
      },
    })
    expect((await project.service('http').exec(['cat', '/www/index.html'])).stdout).toBe('ok\n')
    expect(
      (await project.service('tcp').exec(['sh', '-c', 'busybox netstat -ltn | grep -c ":7000 "'])).stdout.trim(),
    ).toBe('1')
    // The socket table that a port wait reads where the container's address is out of reach.
    const tables = (await project.service('tcp').exec(['cat', '/proc/net/tcp', '/proc/net/tcp6'])).stdout
    expect([listensOn(tables, 7000), listensOn(tables, 7001)]).toEqual([true, false])
    expect(await project.service('logger').logs()).toEqual(['ready to serve'])
    expect((await project.service('healthy').inspect()).State.Health?.Status).toBe('healthy')
  })

  it('fails up with what was awaited and the last log lines when a wait runs out, leaving nothing', async () => {
    const compose = runtimeFixture('waits')
    const name = compose.load().project.name
    const failure = await compose.up({ waitFor: { logger: { log: /^never printed$/ } }, timeoutMs: 2500 }).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(failure).toBeInstanceOf(ServiceStartError)
    expect((failure as Error).message).toBe(
      'service "logger" failed at the wait for readiness: 1 log line(s) matching /^never printed$/ was not reached within 2.5 s\nlast log lines of logger:\n  ready to serve',
    )
    expect(await leftOf(name)).toEqual([])
  })
})
