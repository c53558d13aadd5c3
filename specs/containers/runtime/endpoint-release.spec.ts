import { describe, expect, inject, it } from 'vitest'
import { connectEngine, type Engine } from '../../../harness/runtime/engine/engine.js'
import { engineVersion } from '../../../harness/runtime/engine/engine-version.js'
import { losesEndpointCounts, RELEASES_AT_ONCE } from '../../../harness/runtime/engine/endpoint-release.js'
import type { StartedCompose } from '../../../harness/index.js'
import { runtimeFixture } from '../support/test-projects.js'

/** Seven containers on one network: six replicas of worker, and client. */
const REPLICAS = 6

/**
 * From each container's `die` to its network's `disconnect` the engine releases its endpoint; on
 * Docker 20.10 three such releases at once on one network can lose the network's endpoint count
 * (moby/moby#43286). The engine's own events say when each began and ended.
 */
async function releasesOf(engine: Engine, sinceMs: number): Promise<[number, number][]> {
  const stream = await engine.container.dockerode.getEvents({
    since: Math.floor(sinceMs / 1000),
    until: Math.ceil(Date.now() / 1000),
    filters: { type: ['container', 'network'], event: ['die', 'disconnect'] },
  })
  let text = ''
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()))
  await new Promise((resolve) => stream.on('end', resolve))
  const begun = new Map<string, number>()
  const releases: [number, number][] = []
  for (const line of text.split('\n').filter(Boolean)) {
    const event = JSON.parse(line) as {
      Type: string
      timeNano: number
      Actor: { ID: string; Attributes: { container?: string } }
    }
    const ms = event.timeNano / 1e6
    if (ms < sinceMs) continue
    if (event.Type === 'container') begun.set(event.Actor.ID, ms)
    else {
      const began = begun.get(event.Actor.Attributes.container ?? '')
      if (began !== undefined) releases.push([began, ms])
    }
  }
  return releases
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

describe.skipIf(!inject('engineReady'))('releasing the endpoints of one network', () => {
  it.each(Object.entries(ACTIONS))(
    '%s: every container stops, and on Docker 20.10 at most two endpoints are released at once',
    async (_, action) => {
      const engine = await connectEngine()
      const version = await engineVersion(engine)
      const paced = losesEndpointCounts(version.ApiVersion ?? '', false)
      const compose = runtimeFixture('scale').withOverride({ services: { worker: { deploy: { replicas: REPLICAS } } } })
      await using started = await compose.up()
      const since = Date.now()
      await action(started)
      const releases = await releasesOf(engine, since)
      expect(releases).toHaveLength(REPLICAS + 1)
      if (paced) expect(mostAtOnce(releases)).toBeLessThanOrEqual(RELEASES_AT_ONCE)
    },
    120_000,
  )
})
