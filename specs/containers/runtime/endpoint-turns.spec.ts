import { resolve } from 'node:path'
import { describe, expect, inject, it } from 'vitest'
import { connectEngine, type Engine } from '../../../harness/runtime/engine/engine.js'
import { engineApiVersion } from '../../../harness/runtime/engine/engine-version.js'
import { losesEndpointCounts, RELEASES_AT_ONCE } from '../../../harness/runtime/engine/endpoint-turns.js'
import type { StartedCompose } from '../../../harness/index.js'
import { runCli } from '../../support/cli.js'
import { runtimeFixture, uniqueProjectName } from '../support/test-projects.js'

/** Seven containers on one network: six replicas of worker, and client. */
const REPLICAS = 6
const SCALE_FILE = resolve('fixtures/runtime/scale/compose.yml')

interface NetworkChanges {
  /** From each container's `die` to its network's `disconnect`: the engine releasing its endpoint. */
  readonly releases: [number, number][]
  /** Each network `connect`: an endpoint created for a container that starts. */
  readonly connects: number[]
}

/** What the engine's events say was done to the endpoints of `network` since `sinceMs` (other specs run beside). */
async function changesSince(engine: Engine, network: string, sinceMs: number): Promise<NetworkChanges> {
  const stream = await engine.container.dockerode.getEvents({
    since: Math.floor(sinceMs / 1000),
    until: Math.ceil(Date.now() / 1000),
    filters: { type: ['container', 'network'], event: ['die', 'disconnect', 'connect'] },
  })
  let text = ''
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()))
  await new Promise((resolve) => stream.on('end', resolve))
  const died = new Map<string, number>()
  const changes: NetworkChanges = { releases: [], connects: [] }
  for (const line of text.split('\n').filter(Boolean)) {
    const event = JSON.parse(line) as {
      Type: string
      Action: string
      timeNano: number
      Actor: { ID: string; Attributes: { container?: string; name?: string } }
    }
    const ms = event.timeNano / 1e6
    if (ms < sinceMs || (event.Type === 'network' && event.Actor.Attributes.name !== network)) continue
    if (event.Type === 'container') died.set(event.Actor.ID, ms)
    else if (event.Action === 'connect') changes.connects.push(ms)
    else {
      const began = died.get(event.Actor.Attributes.container ?? '')
      if (began !== undefined) changes.releases.push([began, ms])
    }
  }
  return changes
}

/** The most intervals under way at one instant. */
function mostAtOnce(intervals: readonly [number, number][]): number {
  const edges = intervals.flatMap(([from, to]) => [
    [from, 1],
    [to, -1],
  ])
  // At one instant, an end comes before a beginning.
  edges.sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!)
  let now = 0
  let most = 0
  for (const [, step] of edges) most = Math.max(most, (now += step!))
  return most
}

const ACTIONS: Record<string, (started: StartedCompose) => Promise<void>> = {
  kill: (started) => started.kill(),
  'stop -t 0': (started) => started.stop({ timeoutS: 0 }),
  'stop (graceful, each exits on SIGTERM)': (started) => started.stop(),
  'down -t 0': (started) => started.down({ timeoutS: 0 }),
}

/** Whether this engine is one on which the harness takes turns (Docker 20.10 here). */
async function pacedOn(engine: Engine): Promise<boolean> {
  return losesEndpointCounts(await engineApiVersion(engine), false)
}

describe.skipIf(!inject('engineReady'))("the endpoints of one network's containers", () => {
  it.each(Object.entries(ACTIONS))(
    '%s: every container stops, and on Docker 20.10 at most two endpoints are released at once',
    async (_, action) => {
      const engine = await connectEngine()
      const compose = runtimeFixture('scale').withOverride({ services: { worker: { deploy: { replicas: REPLICAS } } } })
      await using started = await compose.up()
      const since = Date.now()
      await action(started)
      const { releases } = await changesSince(engine, `${started.name}_default`, since)
      expect(releases).toHaveLength(REPLICAS + 1)
      if (await pacedOn(engine)) expect(mostAtOnce(releases)).toBeLessThanOrEqual(RELEASES_AT_ONCE)
    },
    120_000,
  )

  it('up --force-recreate: every container is replaced, and on Docker 20.10 none starts while one is being released', async () => {
    const engine = await connectEngine()
    const name = uniqueProjectName('turns')
    const project = ['-f', SCALE_FILE, '-p', name]
    const up = [...project, 'up', '-d', '--scale', `worker=${REPLICAS}`]
    try {
      expect((await runCli(up)).code).toBe(0)
      const since = Date.now()
      const recreated = await runCli([...up, '--force-recreate'])
      expect(recreated.code, recreated.stderr).toBe(0)
      const { releases, connects } = await changesSince(engine, `${name}_default`, since)
      expect(releases).toHaveLength(REPLICAS + 1)
      expect(connects).toHaveLength(REPLICAS + 1)
      if (await pacedOn(engine)) {
        expect(mostAtOnce(releases)).toBeLessThanOrEqual(RELEASES_AT_ONCE)
        expect(connects.filter((at) => releases.some(([from, to]) => from < at && at < to))).toEqual([])
      }
    } finally {
      await runCli([...project, 'down', '-t', '0'])
    }
  }, 120_000)
})
