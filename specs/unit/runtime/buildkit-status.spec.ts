import { describe, expect, it } from 'vitest'
import { BuildkitProgress, decodeStatus } from '../../../harness/runtime/images/buildkit-status.js'
import { lengthDelimited, varintField } from '../../../harness/runtime/images/protobuf-wire.js'

// BuildKit's StatusResponse, written with the wire format's own writers, as the engine sends it.
type Value = string | Uint8Array | boolean | number | [number, Value][]
function message(entries: [number, Value][]): Uint8Array {
  return Buffer.concat(
    entries.map(([number, value]) =>
      typeof value === 'boolean' || typeof value === 'number'
        ? varintField(number, Number(value))
        : lengthDelimited(
            number,
            typeof value === 'string' ? Buffer.from(value) : value instanceof Uint8Array ? value : message(value),
          ),
    ),
  )
}
const timestamp: [number, Value][] = [
  [1, 1_700_000_000],
  [2, 5],
]
const aux = (entries: [number, Value][]) => Buffer.from(message(entries)).toString('base64')

describe("BuildKit's status, as the engine streams it", () => {
  it('decodes steps, whether each started, was cached, completed or failed, and their output', () => {
    const status = decodeStatus(
      aux([
        [
          1,
          [
            [1, 'sha256:a'],
            [2, 'sha256:input'],
            [3, '[1/2] FROM docker.io/library/debian:bookworm'],
            [4, true],
            [5, timestamp],
            [6, timestamp],
          ],
        ],
        [
          1,
          [
            [1, 'sha256:b'],
            [3, '[2/2] RUN false'],
            [5, timestamp],
            [7, 'process "/bin/sh -c false" did not complete successfully: exit code: 1'],
          ],
        ],
        [
          2,
          [
            [1, 'transferring context:'],
            [2, 'sha256:b'],
            [4, 10],
            [5, 20],
            [6, timestamp],
            [7, timestamp],
          ],
        ],
        [
          3,
          [
            [1, 'sha256:b'],
            [2, timestamp],
            [3, 2],
            [4, Buffer.from('first line\nsecond line\n')],
          ],
        ],
      ]),
    )
    const at = 1_700_000_000_000 + 5 / 1e6
    expect(status).toEqual({
      vertexes: [
        {
          digest: 'sha256:a',
          inputs: ['sha256:input'],
          name: '[1/2] FROM docker.io/library/debian:bookworm',
          cached: true,
          started: true,
          completed: true,
          startedAt: at,
          completedAt: at,
        },
        {
          digest: 'sha256:b',
          name: '[2/2] RUN false',
          cached: false,
          started: true,
          completed: false,
          startedAt: at,
          error: 'process "/bin/sh -c false" did not complete successfully: exit code: 1',
        },
      ],
      statuses: [
        { id: 'transferring context:', vertex: 'sha256:b', current: 10, total: 20, timestamp: at, startedAt: at },
      ],
      logs: [{ vertex: 'sha256:b', msg: 'first line\nsecond line\n', timestamp: at, stream: 2 }],
    })
  })

  it('refuses a truncated message rather than reading past it', () => {
    const whole = message([[1, [[1, 'sha256:a']]]])
    expect(() => decodeStatus(Buffer.from(whole.subarray(0, whole.length - 2)).toString('base64'))).toThrow(RangeError)
  })

  it('shows each step once as it starts or is found cached, and keeps a failing step with its last output lines', () => {
    const progress = new BuildkitProgress()
    const step = (digest: string, name: string, more: [number, Value][] = []) =>
      [1, [[1, digest], [3, name], ...more]] as [number, Value]
    expect(progress.update(decodeStatus(aux([step('a', '[1/3] FROM base', [[4, true]])])))).toEqual([
      'CACHED [1/3] FROM base',
    ])
    expect(progress.update(decodeStatus(aux([step('b', '[2/3] RUN make')])))).toEqual([])
    expect(progress.update(decodeStatus(aux([step('b', '[2/3] RUN make', [[5, timestamp]])])))).toEqual([
      '[2/3] RUN make',
    ])
    expect(progress.update(decodeStatus(aux([step('b', '[2/3] RUN make', [[5, timestamp]])])))).toEqual([])
    expect(progress.failure()).toBeUndefined()
    // A failed cache import is shown once, and is not the build's failure: BuildKit builds on without it.
    const unknown = step('c', 'importing cache manifest from azblob:1', [[7, 'unknown cache importer: azblob']])
    expect(progress.update(decodeStatus(aux([unknown])))).toEqual([
      'importing cache manifest from azblob:1: ERROR: unknown cache importer: azblob',
    ])
    expect(progress.update(decodeStatus(aux([unknown])))).toEqual([])
    expect(progress.failure()).toBeUndefined()
    const lines = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join('\n')
    const failed = progress.update(
      decodeStatus(
        aux([
          step('b', '[2/3] RUN make', [
            [5, timestamp],
            [7, 'exit code: 2'],
          ]),
          [
            3,
            [
              [1, 'b'],
              [4, Buffer.from(lines)],
            ],
          ],
        ]),
      ),
    )
    expect(failed).toEqual(['[2/3] RUN make: ERROR: exit code: 2'])
    expect(progress.failure()).toEqual({
      step: '[2/3] RUN make',
      error: 'exit code: 2',
      output: Array.from({ length: 15 }, (_, i) => `line ${i + 6}`),
    })
  })
})
