import type { BuildStatus } from '../runtime/images/buildkit-status.js'
import { prefixed } from './build-plain.js'

/**
 * Pure: one of BuildKit's status messages as Compose v2 writes it under `--progress json`: BuildKit's
 * `SolveStatus` as Go's JSON has it (`{"vertexes":[…],"statuses":[…],"logs":[…],"warnings":[…]}`, empty lists and
 * fields left out, times in RFC 3339 with their fraction, a log's bytes in base64, `<`, `>` and `&`
 * escaped), each step named with its service as buildx prefixes it.
 */
export function statusJson(service: string, status: BuildStatus): string {
  const vertexes = status.vertexes.map((v) => ({
    digest: v.digest,
    ...(v.inputs?.length && { inputs: v.inputs }),
    name: prefixed(service, v.name),
    ...(v.startedAt !== undefined && { started: rfc3339(v.startedAt) }),
    ...(v.completedAt !== undefined && { completed: rfc3339(v.completedAt) }),
    ...(v.cached && { cached: true }),
    ...(v.error && { error: v.error }),
  }))
  const statuses = (status.statuses ?? []).map((s) => ({
    id: s.id,
    vertex: s.vertex,
    ...(s.total && { total: s.total }),
    current: s.current,
    timestamp: rfc3339(s.timestamp ?? 0),
    ...(s.startedAt !== undefined && { started: rfc3339(s.startedAt) }),
    ...(s.completedAt !== undefined && { completed: rfc3339(s.completedAt) }),
  }))
  const logs = status.logs.map((l) => ({
    vertex: l.vertex,
    ...(l.stream && { stream: l.stream }),
    data: Buffer.from(l.msg).toString('base64'),
    timestamp: rfc3339(l.timestamp ?? 0),
  }))
  const warnings = (status.warnings ?? []).map((w) => w.json)
  const json = JSON.stringify({
    ...(vertexes.length > 0 && { vertexes }),
    ...(statuses.length > 0 && { statuses }),
    ...(logs.length > 0 && { logs }),
    ...(warnings.length > 0 && { warnings }),
  })
  return json.replace(/[<>&]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`)
}

/**
 * Pure: milliseconds since the epoch as Go's RFC3339Nano writes a UTC time, the fraction's trailing
 * zeros left out; to the microsecond, what a millisecond count in a double holds.
 */
export function rfc3339(ms: number): string {
  const whole = Math.floor(ms / 1000)
  const nanos = Math.round((ms - whole * 1000) * 1000) * 1000
  const fraction = nanos > 0 ? `.${String(nanos).padStart(9, '0').replace(/0+$/, '')}` : ''
  return `${new Date(whole * 1000).toISOString().slice(0, 19)}${fraction}Z`
}
