/**
 * Pure: BuildKit's progress as the engine's build API streams it (`moby.buildkit.trace` messages,
 * each a base64 protobuf `StatusResponse` of BuildKit's control API), decoded into what the harness
 * shows: each step as it starts or is found cached, and, for a failing build, the step that failed
 * and its last output lines; and, for `--progress plain` (build-plain.ts in the CLI), the times and
 * transfers BuildKit's own printer shows. Only the fields used are read (protobuf-wire.ts).
 *
 *   StatusResponse { repeated Vertex vertexes = 1; repeated VertexStatus statuses = 2; repeated VertexLog logs = 3;
 *                    repeated VertexWarning warnings = 4; } (the warnings: buildkit-warnings.ts)
 *   Vertex { string digest = 1; repeated string inputs = 2; string name = 3; bool cached = 4;
 *            Timestamp started = 5; Timestamp completed = 6; string error = 7; … }
 *   VertexStatus { string ID = 1; string vertex = 2; string name = 3; int64 current = 4; int64 total = 5;
 *                  Timestamp timestamp = 6; Timestamp started = 7; Timestamp completed = 8; }
 *   VertexLog { string vertex = 1; Timestamp timestamp = 2; int64 stream = 3; bytes msg = 4; }
 *   Timestamp { int64 seconds = 1; int32 nanos = 2; }
 */
import { vertexWarning, type VertexWarning } from './buildkit-warnings.js'
import { wireFields, wireText } from './protobuf-wire.js'

export type { VertexWarning } from './buildkit-warnings.js'

export interface Vertex {
  readonly digest: string
  /** The steps it takes its input from. */
  readonly inputs?: readonly string[]
  readonly name: string
  readonly cached: boolean
  readonly started: boolean
  readonly completed: boolean
  readonly error?: string
  /** When it started and completed, in milliseconds since the epoch. */
  readonly startedAt?: number
  readonly completedAt?: number
}

/** A transfer or a sub-step of a vertex (`transferring context:`, `exporting layers`), with its bytes so far. */
export interface VertexStatus {
  readonly id: string
  readonly vertex: string
  readonly current: number
  readonly total: number
  readonly timestamp?: number
  readonly startedAt?: number
  readonly completedAt?: number
}

export interface VertexLog {
  readonly vertex: string
  readonly msg: string
  readonly timestamp?: number
  /** 1 for standard output, 2 for standard error. */
  readonly stream?: number
}

export interface BuildStatus {
  readonly vertexes: readonly Vertex[]
  readonly statuses?: readonly VertexStatus[]
  readonly logs: readonly VertexLog[]
  /** A Dockerfile's lint checks, from BuildKit 0.14 on. */
  readonly warnings?: readonly VertexWarning[]
}

/** `Timestamp` in milliseconds since the epoch. */
function time(buf: Uint8Array | undefined): number | undefined {
  if (!buf) return undefined
  let seconds = 0
  let nanos = 0
  for (const f of wireFields(buf)) {
    if (f.number === 1 && f.varint !== undefined) seconds = Number(f.varint)
    if (f.number === 2 && f.varint !== undefined) nanos = Number(f.varint)
  }
  return seconds * 1000 + nanos / 1e6
}

function vertex(buf: Uint8Array): Vertex {
  let digest = ''
  const inputs: string[] = []
  let name = ''
  let cached = false
  let startedAt: number | undefined
  let completedAt: number | undefined
  let error: string | undefined
  for (const f of wireFields(buf)) {
    if (f.number === 1) digest = wireText(f.bytes)
    else if (f.number === 2) inputs.push(wireText(f.bytes))
    else if (f.number === 3) name = wireText(f.bytes)
    else if (f.number === 4) cached = f.varint !== 0n
    else if (f.number === 5) startedAt = time(f.bytes) ?? 0
    else if (f.number === 6) completedAt = time(f.bytes) ?? 0
    else if (f.number === 7) error = wireText(f.bytes) || undefined
  }
  const started = startedAt !== undefined
  const completed = completedAt !== undefined
  return {
    digest,
    ...(inputs.length > 0 && { inputs }),
    name,
    cached,
    started,
    completed,
    ...(error && { error }),
    ...(startedAt !== undefined && { startedAt }),
    ...(completedAt !== undefined && { completedAt }),
  }
}

function vertexStatus(buf: Uint8Array): VertexStatus {
  const out: { -readonly [K in keyof VertexStatus]: VertexStatus[K] } = { id: '', vertex: '', current: 0, total: 0 }
  for (const f of wireFields(buf)) {
    if (f.number === 1) out.id = wireText(f.bytes)
    else if (f.number === 2) out.vertex = wireText(f.bytes)
    else if (f.number === 4 && f.varint !== undefined) out.current = Number(f.varint)
    else if (f.number === 5 && f.varint !== undefined) out.total = Number(f.varint)
    else if (f.number === 6) out.timestamp = time(f.bytes) ?? 0
    else if (f.number === 7) out.startedAt = time(f.bytes) ?? 0
    else if (f.number === 8) out.completedAt = time(f.bytes) ?? 0
  }
  return out
}

function log(buf: Uint8Array): VertexLog {
  let vertex = ''
  let msg = ''
  let timestamp: number | undefined
  let stream: number | undefined
  for (const f of wireFields(buf)) {
    if (f.number === 1) vertex = wireText(f.bytes)
    else if (f.number === 2) timestamp = time(f.bytes)
    else if (f.number === 3 && f.varint !== undefined) stream = Number(f.varint)
    else if (f.number === 4) msg = wireText(f.bytes)
  }
  return { vertex, msg, ...(timestamp !== undefined && { timestamp }), ...(stream !== undefined && { stream }) }
}

/** A `StatusResponse`: base64 as the build API's trace messages carry it, or bytes as the control API's Status streams it. */
export function decodeStatus(message: string | Uint8Array): BuildStatus {
  const vertexes: Vertex[] = []
  const statuses: VertexStatus[] = []
  const logs: VertexLog[] = []
  const warnings: VertexWarning[] = []
  for (const f of wireFields(typeof message === 'string' ? Buffer.from(message, 'base64') : message)) {
    if (f.number === 1 && f.bytes) vertexes.push(vertex(f.bytes))
    else if (f.number === 2 && f.bytes) statuses.push(vertexStatus(f.bytes))
    else if (f.number === 3 && f.bytes) logs.push(log(f.bytes))
    else if (f.number === 4 && f.bytes) warnings.push(vertexWarning(f.bytes))
  }
  return { vertexes, statuses, logs, ...(warnings.length > 0 && { warnings }) }
}

/** A cache's import: BuildKit builds on without it when it fails (an unknown kind, a cache not there). */
const CACHE_IMPORT = 'importing cache manifest from '

/** How many output lines of each step are kept, for a failing step's error. */
const KEPT_LINES = 15

/**
 * The state of one build across its status messages: BuildKit sends a step again whenever it
 * changes. `update` returns the lines to show for a message: a step when it starts (`[2/5] RUN …`)
 * or is found cached (`CACHED [2/5] RUN …`), and its error when it fails (`[2/5] RUN …: ERROR: …`),
 * each once. A failed cache import is shown, not taken for the build's failure.
 */
export class BuildkitProgress {
  private readonly shown = new Set<string>()
  private readonly output = new Map<string, string[]>()
  private failed?: { readonly name: string; readonly error: string; readonly digest: string }

  update(status: BuildStatus): string[] {
    const lines: string[] = []
    for (const v of status.vertexes) {
      if (v.error && !this.failed && !v.name.startsWith(CACHE_IMPORT))
        this.failed = { name: v.name, error: v.error, digest: v.digest }
      const key = `${v.digest}:${v.cached ? 'cached' : 'started'}`
      if (v.name && !this.shown.has(key) && (v.started || v.cached)) {
        this.shown.add(key)
        lines.push(v.cached ? `CACHED ${v.name}` : v.name)
      }
      if (v.error && !this.shown.has(`${v.digest}:error`)) {
        this.shown.add(`${v.digest}:error`)
        lines.push(`${v.name}: ERROR: ${v.error}`)
      }
    }
    for (const l of status.logs) {
      const kept = this.output.get(l.vertex) ?? []
      kept.push(...l.msg.split(/\r?\n|\r/).filter((line) => line.trim() !== ''))
      this.output.set(l.vertex, kept.slice(-KEPT_LINES))
    }
    return lines
  }

  /** The step that failed, with its error and its last output lines; undefined while none has. */
  failure(): { readonly step: string; readonly error: string; readonly output: readonly string[] } | undefined {
    if (!this.failed) return undefined
    return { step: this.failed.name, error: this.failed.error, output: this.output.get(this.failed.digest) ?? [] }
  }
}
