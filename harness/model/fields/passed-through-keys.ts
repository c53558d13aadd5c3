import { describe } from '../document/describe.js'
import {
  readBoolean,
  readDurationMs,
  readFields,
  readInteger,
  readKeyValues,
  readList,
  readMapping,
  readString,
  readStringList,
  type FieldContext,
  oneOf,
  type FieldReader,
} from './readers.js'
import { isMapping } from '../document/values.js'
import type { YamlPath } from '../document/where.js'
import type { ServiceKey } from '../project/service-keys.js'

/**
 * Service keys kept only as written (for `config`, and for `up` to refuse by name), whose shape is
 * still checked as Compose v2 checks it, so that a bad value is reported at load like any other.
 */
const CHECKED_KEYS = {
  external_links: ['externalLinks', readStringList],
  use_api_socket: ['useApiSocket', readBoolean],
  credential_spec: ['credentialSpec', mappingOf({ config: readString, file: readString, registry: readString })],
  deploy: ['deploy', readDeployShape],
} as const satisfies Partial<Record<ServiceKey, unknown>>

export function checkPassedKeys(raw: Record<string, unknown>, path: YamlPath, ctx: FieldContext): void {
  readFields<Record<string, unknown>>(raw, CHECKED_KEYS, path, ctx)
}

/** A mapping whose keys are `readers`' (others refused, `x-` allowed), each value read by its reader. */
function mappingOf(readers: Readonly<Record<string, FieldReader>>): FieldReader {
  return (value, path, ctx) => {
    const m = readMapping(value, path, ctx, Object.keys(readers))
    for (const [key, reader] of Object.entries(readers)) if (m[key] != null) reader(m[key], [...path, key], ctx)
    return m
  }
}

const number: FieldReader = (value, path, ctx) => {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value
  if (typeof n === 'number' && Number.isFinite(n)) return n
  ctx.problems.add(path, `expected a number, got ${describe(value)}`)
  return undefined
}

const rollout = mappingOf({
  parallelism: readInteger,
  delay: readDurationMs,
  failure_action: readString,
  monitor: readDurationMs,
  max_failure_ratio: number,
  order: oneOf(['start-first', 'stop-first']),
})

/**
 * The shape of what `deploy` holds beside `replicas`, `resources` and `restart_policy` (read where
 * they are applied): Swarm's keys, which `up` does not apply but a file must still write rightly.
 */
function readDeployShape(value: unknown, path: YamlPath, ctx: FieldContext): unknown {
  if (!isMapping(value)) return undefined
  const at = (key: string): YamlPath => [...path, key]
  if (value.mode != null) readString(value.mode, at('mode'), ctx)
  if (value.endpoint_mode != null) readString(value.endpoint_mode, at('endpoint_mode'), ctx)
  if (value.labels != null) readKeyValues(value.labels, at('labels'), ctx, 'empty')
  for (const key of ['update_config', 'rollback_config']) if (value[key] != null) rollout(value[key], at(key), ctx)
  if (value.placement != null)
    mappingOf({
      constraints: readStringList,
      preferences: (v, p, c) =>
        readList(v, p, c).map((item, i) => mappingOf({ spread: readString })(item, [...p, i], c)),
      max_replicas_per_node: readInteger,
    })(value.placement, at('placement'), ctx)
  return value
}
