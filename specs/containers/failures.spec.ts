import { createServer, type Server } from 'node:net'
import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { Compose, ServiceStartError } from '../../harness/index.js'
import { runCliSync } from '../support/cli.js'
import { leftOf } from './support/observe.js'
import { uniqueProjectName } from './support/test-projects.js'

const FAILURES = resolve('fixtures/failures')

/** Runs `up` on a failure fixture; gives the error it must throw and what the engine has of the project afterwards. */
async function failedUp(
  scenario: string,
  environment: Record<string, string> = {},
): Promise<{ error: ServiceStartError; left: string[] }> {
  const compose = Compose.fromFiles(resolve(FAILURES, scenario, 'compose.yml'))
    .withProjectName(uniqueProjectName(scenario))
    .withEnvironment({ ...environment, HOME: '/root' })
  // Settled: an exit at once fails `up()` itself, whenever it comes within the grace.
  const outcome = await compose.up({ settle: true }).then(
    () => 'up succeeded',
    (e: unknown) => e,
  )
  expect(outcome).toBeInstanceOf(ServiceStartError)
  return { error: outcome as ServiceStartError, left: await leftOf(compose.load().project.name) }
}

describe.skipIf(!inject('engineReady'))('a failing up explains itself and leaves nothing', () => {
  it('shows the failing Dockerfile step and its output when a build fails', async () => {
    const { error, left } = await failedUp('build-fails')
    expect(error.message).toMatch(
      // BuildKit's words for a failed RUN: Docker 20.10's first, newer engines' second.
      /^service "app" failed at build: \[[^\]]*2\/2\] RUN echo "compiling the app" && false\n(executor failed running \[\/bin\/sh -c echo "compiling the app" && false\]|process "\/bin\/sh -c echo \\"compiling the app\\" && false" did not complete successfully): exit code: 1\nbuild output:\n/,
    )
    expect(error.message).toMatch(/^ {2}compiling the app$/m)
    expect(left).toEqual([])
  })

  it('names a missing Dockerfile and a missing build context', async () => {
    expect((await failedUp('missing-dockerfile')).error.message).toBe(
      `service "app" failed at build: there is no Dockerfile at ${FAILURES}/missing-dockerfile/Dockerfile.missing`,
    )
    expect((await failedUp('missing-context')).error.message).toBe(
      `service "app" failed at build: the build context ${FAILURES}/missing-context/nowhere is not a directory`,
    )
  })

  it('says that no registry was reachable for an image that is not present', async () => {
    const { error, left } = await failedUp('missing-image')
    expect(error.message).toMatch(
      /^service "app" failed at pulling its image: image "127\.0\.0\.1:1\/compose-harness-absent:1" is not present and could not be pulled: .*\(no registry was reachable to pull it: build it, `docker load` it, or make a registry reachable\)$/,
    )
    expect(left).toEqual([])
  })

  describe('with a host port already taken', () => {
    let server: Server
    let port = 0
    beforeAll(async () => {
      server = createServer()
      await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
      port = (server.address() as { port: number }).port
    })
    afterAll(() => new Promise<void>((done) => server.close(() => done())))

    it('names the service and the port', async () => {
      const { error, left } = await failedUp('port-in-use', { BUSY_PORT: String(port) })
      expect(error.message).toMatch(
        new RegExp(
          `^service "web" failed at start: .*127\\.0\\.0\\.1:${port}.*(already allocated|address already in use)`,
          's',
        ),
      )
      expect(left).toEqual([])
    })
  })

  it('gives the exit code and last log lines of a service that exits at once', async () => {
    const { error, left } = await failedUp('exits-at-once')
    expect(error.message).toBe(
      'service "crasher" failed at start (exit code 2): it exited at once\nlast log lines of crasher:\n  config file /etc/app.conf not found',
    )
    expect(left).toEqual([])
  })

  describe('an exit at once found after up() returned (the default: up() does not wait out the grace)', () => {
    const upSoon = () =>
      Compose.fromFiles(resolve(FAILURES, 'exits-soon', 'compose.yml'))
        .withProjectName(uniqueProjectName('exits-soon'))
        .up<'crasher' | 'steady'>()

    it('is thrown by down(), once the project is removed', async () => {
      const project = await upSoon()
      expect(await project.service('crasher').waitForExit()).toBe(3)
      const outcome = await project.down().then(
        () => 'down succeeded',
        (e: unknown) => e,
      )
      expect(outcome).toBeInstanceOf(ServiceStartError)
      expect((outcome as Error).message).toBe(
        'service "crasher" failed at start (exit code 3): it exited at once\nlast log lines of crasher:\n  lost the connection to the queue',
      )
      expect(await leftOf(project.name)).toEqual([])
    })

    it("is waited out by the CLI's up --wait, which has no later down to find it at", async () => {
      const file = resolve(FAILURES, 'exits-soon', 'compose.yml')
      const name = uniqueProjectName('exits-soon-cli')
      const up = runCliSync(['-f', file, '-p', name, 'up', '--wait'])
      expect(up.code).toBe(1)
      expect(up.stderr).toContain(
        'service "crasher" failed at start (exit code 3): it exited at once\nlast log lines of crasher:\n  lost the connection to the queue',
      )
      expect(runCliSync(['-f', file, '-p', name, 'down']).code).toBe(0)
      expect(await leftOf(name)).toEqual([])
    })

    it('is not one when the test itself killed the service', async () => {
      const project = await upSoon()
      await project.service('crasher').kill()
      expect(await project.service('crasher').waitForExit()).toBe(137)
      await project.down()
      expect(await leftOf(project.name)).toEqual([])
    })
  })

  it('says a service was killed for running out of memory under its mem_limit', async () => {
    const { error, left } = await failedUp('out-of-memory')
    expect(error.message).toBe(
      'service "worker" failed at start (exit code 137: killed by SIGKILL, out of memory (OOM killed)): it exited at once\nlast log lines of worker:\n  loading the index into memory',
    )
    expect(left).toEqual([])
  })

  it('gives the last health check output of a service that never becomes healthy', async () => {
    const { error, left } = await failedUp('never-healthy')
    expect(error.message).toMatch(
      /^service "db" failed at the health check: it is unhealthy; last health check \(exit 1\): still recovering the journal$/m,
    )
    expect(left).toEqual([])
  })

  it('masks a secret from the environment in its own messages, log lines included', async () => {
    const { error } = await failedUp('secret-in-environment')
    expect(error.message).toBe(
      'service "api" failed at start (exit code 3): it exited at once\nlast log lines of api:\n  using token ******',
    )
    expect(error.message).not.toContain('tok-3141592653')
  })

  it('says which engine does not answer, in one line and without a stack trace', () => {
    const result = runCliSync(['-f', 'fixtures/echo/docker-compose.yml', 'ps'], {
      env: { DOCKER_HOST: 'tcp://127.0.0.1:1' },
    })
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr).toBe(
      'no Docker engine answers at tcp://127.0.0.1:1 (DOCKER_HOST: connect ECONNREFUSED 127.0.0.1:1). Start it, point DOCKER_HOST at one that runs, or run `npm run provision` to install and start one on a Debian machine.\n',
    )
  })
})
