import { describe, expect, it } from 'vitest'
import { rfc3339, statusJson } from '../../../harness/cli/build-json.js'

describe('a build under --progress json, as Compose v2 writes BuildKit’s status', () => {
  it('writes times as Go’s RFC3339Nano does', () => {
    expect(rfc3339(Date.UTC(2026, 11, 4, 8, 52, 10, 931) + 0.58)).toBe('2026-12-04T08:52:10.93158Z')
    expect(rfc3339(Date.UTC(2026, 11, 4, 8, 52, 10))).toBe('2026-12-04T08:52:10Z')
  })

  it('writes a status message as Go’s JSON has SolveStatus: empty fields left out, names with their service, logs in base64, & escaped', () => {
    const t = Date.UTC(2026, 11, 4, 8, 52, 10, 500)
    const line = statusJson('app', {
      vertexes: [
        {
          digest: 'sha256:a',
          inputs: ['sha256:b'],
          name: '[2/2] RUN a && b',
          cached: false,
          started: true,
          completed: false,
          startedAt: t,
        },
      ],
      statuses: [{ id: 'transferring context:', vertex: 'sha256:a', current: 3, total: 0, timestamp: t, startedAt: t }],
      logs: [{ vertex: 'sha256:a', msg: 'hi\n', timestamp: t, stream: 1 }],
    })
    expect(line).toBe(
      '{"vertexes":[{"digest":"sha256:a","inputs":["sha256:b"],"name":"[app 2/2] RUN a \\u0026\\u0026 b","started":"2026-12-04T08:52:10.5Z"}],' +
        '"statuses":[{"id":"transferring context:","vertex":"sha256:a","current":3,"timestamp":"2026-12-04T08:52:10.5Z","started":"2026-12-04T08:52:10.5Z"}],' +
        '"logs":[{"vertex":"sha256:a","stream":1,"data":"aGkK","timestamp":"2026-12-04T08:52:10.5Z"}]}',
    )
    expect(statusJson('app', { vertexes: [], logs: [] })).toBe('{}')
    // Warnings last, as Go's JSON of SolveStatus has them, each as it was read.
    expect(
      statusJson('app', {
        vertexes: [],
        logs: [],
        warnings: [{ vertex: 'sha256:a', short: 'x', json: { vertex: 'sha256:a', level: 1 } }],
      }),
    ).toBe('{"warnings":[{"vertex":"sha256:a","level":1}]}')
  })
})
