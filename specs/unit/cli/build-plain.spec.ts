import { describe, expect, it } from 'vitest'
import { bytes, PlainBuildTrace, prefixed } from '../../../harness/cli/build-plain.js'
import type { BuildStatus } from '../../../harness/runtime/images/buildkit-status.js'

const T = 1_700_000_000_000
const vertex = (digest: string, name: string, more: Partial<BuildStatus['vertexes'][number]> = {}) => ({
  digest,
  name,
  cached: false,
  started: more.startedAt !== undefined,
  completed: more.completedAt !== undefined,
  ...more,
})

/** A trace that shows each message at once, as if a tick of BuildKit's printer came after each. */
function shown(say: (line: string) => void) {
  const trace = new PlainBuildTrace(say)
  return {
    status: (service: string, status: BuildStatus) => {
      trace.status(service, status)
      trace.flush()
    },
    summary: (service: string) => trace.summary(service),
  }
}

describe('a build under --progress plain, as BuildKit’s own printer shows it for Compose v2', () => {
  it('names each step with its service, as buildx prefixes it', () => {
    expect(prefixed('app', '[internal] load build definition from Dockerfile')).toBe(
      '[app internal] load build definition from Dockerfile',
    )
    expect(prefixed('app', '[2/3] RUN make')).toBe('[app 2/3] RUN make')
    expect(prefixed('app', 'exporting to image')).toBe('[app] exporting to image')
  })

  it('writes bytes as BuildKit does', () => {
    expect([bytes(124), bytes(999), bytes(1234), bytes(4_570_000)]).toEqual(['124B', '999B', '1.23kB', '4.57MB'])
  })

  it("shows a step's warnings (a Dockerfile's lint checks) after its transfers and before its output, once each", () => {
    const lines: string[] = []
    const trace = new PlainBuildTrace((l) => lines.push(l))
    const load = vertex('a', '[internal] load build definition from Dockerfile', { startedAt: T })
    const transfer = {
      id: 'transferring dockerfile:',
      vertex: 'a',
      current: 120,
      total: 0,
      timestamp: T + 2,
      completedAt: T + 2,
    }
    const warning = (short: string, vertex = 'a') => ({ vertex, short, json: {} })
    trace.status('app', {
      vertexes: [{ ...load, completed: true, completedAt: T + 30 }],
      statuses: [transfer],
      logs: [{ vertex: 'a', msg: 'read\n', timestamp: T + 10 }],
      warnings: [
        warning("FromAsCasing: 'as' and 'FROM' keywords' casing do not match (line 1)"),
        warning('JSONArgsRecommended: (line 4)'),
      ],
    })
    // A warning for a step not seen is left out, as BuildKit's printer leaves it.
    trace.status('app', { vertexes: [], logs: [], warnings: [warning('unseen', 'z')] })
    trace.flush()
    trace.flush()
    expect(lines).toEqual([
      '#0 building with "default" instance using docker driver',
      '',
      '#1 [app internal] load build definition from Dockerfile',
      '#1 transferring dockerfile: 120B done',
      "#1 WARN: FromAsCasing: 'as' and 'FROM' keywords' casing do not match (line 1)",
      '#1 WARN: JSONArgsRecommended: (line 4)',
      '#1 0.010 read',
      '#1 DONE 0.0s',
    ])
  })

  it('numbers the steps as they start, shows transfers, output with its time, and how each ended', () => {
    const lines: string[] = []
    const trace = shown((l) => lines.push(l))
    const load = vertex('a', '[internal] load build definition from Dockerfile', { startedAt: T })
    trace.status('app', { vertexes: [load], logs: [] })
    trace.status('app', {
      vertexes: [],
      statuses: [
        {
          id: 'transferring dockerfile:',
          vertex: 'a',
          current: 124,
          total: 0,
          timestamp: T + 2,
          startedAt: T + 1,
          completedAt: T + 2,
        },
      ],
      logs: [],
    })
    trace.status('app', { vertexes: [{ ...load, completed: true, completedAt: T + 20 }], logs: [] })
    const from = vertex('b', '[1/2] FROM docker.io/library/debian', {
      startedAt: T + 30,
      completedAt: T + 30,
      cached: true,
    })
    const run = vertex('c', '[2/2] RUN make', { startedAt: T + 40 })
    trace.status('app', { vertexes: [from, run], logs: [] })
    trace.status('app', { vertexes: [], logs: [{ vertex: 'c', msg: 'first\nsec', timestamp: T + 277 }] })
    trace.status('app', { vertexes: [], logs: [{ vertex: 'c', msg: 'ond\n', timestamp: T + 280 }] })
    trace.status('app', {
      vertexes: [{ ...run, completed: true, completedAt: T + 340, error: 'exit code: 2' }],
      logs: [],
    })
    expect(lines).toEqual([
      '#0 building with "default" instance using docker driver',
      '',
      '#1 [app internal] load build definition from Dockerfile',
      '#1 transferring dockerfile: 124B done',
      '#1 DONE 0.0s',
      '',
      '#2 [app 1/2] FROM docker.io/library/debian',
      '#2 CACHED',
      '',
      '#3 [app 2/2] RUN make',
      '#3 0.237 first',
      '#3 0.237 second',
      '#3 ERROR: exit code: 2',
    ])
    expect(trace.summary('app')).toEqual(['------', ' > [app 2/2] RUN make:', '0.237 first', '0.237 second', '------'])
    expect(trace.summary('other')).toEqual([])
  })

  it('closes a step left for another’s output with `...`, and names it again when it goes on', () => {
    const lines: string[] = []
    const trace = shown((l) => lines.push(l))
    trace.status('app', { vertexes: [vertex('a', '[1/1] RUN a', { startedAt: T })], logs: [] })
    trace.status('other', { vertexes: [vertex('a', '[1/1] RUN b', { startedAt: T })], logs: [] })
    trace.status('app', { vertexes: [], logs: [{ vertex: 'a', msg: 'x\n', timestamp: T + 1500 }] })
    // Within one tick, the step it is at goes first; a step still going waits for the next tick.
    const batched: string[] = []
    const ticked = new PlainBuildTrace((l) => batched.push(l))
    ticked.status('app', {
      vertexes: [vertex('a', '[1/1] RUN a', { startedAt: T }), vertex('b', '[1/1] RUN b', { startedAt: T })],
      logs: [],
    })
    ticked.flush()
    expect(batched).toEqual(['#0 building with "default" instance using docker driver', '', '#1 [app 1/1] RUN a'])
    ticked.flush()
    expect(batched.slice(3)).toEqual(['#1 ...', '', '#2 [app 1/1] RUN b'])
    expect(lines.slice(2)).toEqual([
      '#1 [app 1/1] RUN a',
      '#1 ...',
      '',
      '#2 [other 1/1] RUN b',
      '#2 ...',
      '',
      '#1 [app 1/1] RUN a',
      '#1 1.500 x',
    ])
  })
})
