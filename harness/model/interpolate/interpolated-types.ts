import type { YamlPath } from '../document/where.js'

type Cast = (text: string) => unknown

const integer: Cast = (text) => (/^[+-]?\d+$/.test(text) ? Number(text) : undefined)
const float: Cast = (text) => (text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : undefined)
const boolean: Cast = (text) => {
  const lower = text.toLowerCase()
  if (['true', 'y', 'yes', 'on'].includes(lower)) return true
  if (['false', 'n', 'no', 'off'].includes(lower)) return false
  return undefined
}

const service = (...rest: string[]) => ['services', '*', ...rest]
const resource = (kind: string, key: string) => [kind, '*', key]

/** Where compose-go casts an interpolated value from text to the type the key takes (its interpolateTypeCastMapping). */
const CASTS: readonly (readonly [readonly string[], Cast])[] = [
  ...['cpu_count', 'cpu_period', 'cpu_quota', 'cpu_rt_period', 'cpu_rt_runtime', 'cpu_shares', 'oom_score_adj']
    .concat(['pids_limit', 'scale'])
    .map((key) => [service(key), integer] as const),
  [service('cpu_percent'), float],
  [service('cpus'), float],
  ...['init', 'oom_kill_disable', 'privileged', 'read_only', 'stdin_open', 'tty'].map(
    (key) => [service(key), boolean] as const,
  ),
  [service('deploy', 'replicas'), integer],
  [service('deploy', 'update_config', 'parallelism'), integer],
  [service('deploy', 'update_config', 'max_failure_ratio'), float],
  [service('deploy', 'rollback_config', 'parallelism'), integer],
  [service('deploy', 'rollback_config', 'max_failure_ratio'), float],
  [service('deploy', 'restart_policy', 'max_attempts'), integer],
  [service('deploy', 'placement', 'max_replicas_per_node'), integer],
  [service('healthcheck', 'retries'), integer],
  [service('healthcheck', 'disable'), boolean],
  [service('ports', '[]', 'target'), integer],
  [service('ulimits', '*'), integer],
  [service('ulimits', '*', 'hard'), integer],
  [service('ulimits', '*', 'soft'), integer],
  [service('volumes', '[]', 'read_only'), boolean],
  [service('volumes', '[]', 'volume', 'nocopy'), boolean],
  ...['external', 'internal', 'attachable', 'enable_ipv4', 'enable_ipv6'].map(
    (key) => [resource('networks', key), boolean] as const,
  ),
  ...['volumes', 'secrets', 'configs'].map((kind) => [resource(kind, 'external'), boolean] as const),
]

const matches = (pattern: readonly string[], path: YamlPath): boolean =>
  pattern.length === path.length &&
  pattern.every((p, i) =>
    p === '[]' ? typeof path[i] === 'number' : p === '*' ? typeof path[i] === 'string' : p === path[i],
  )

/**
 * Pure: a value that interpolation changed, as compose-go types it at that key: `"2"` the number 2
 * at `deploy.replicas`, `"true"` true at `privileged`. Text that does not read as that type stays
 * text, for the key's reader to report.
 */
export function typedAt(path: YamlPath, text: string): unknown {
  const cast = CASTS.find(([pattern]) => matches(pattern, path))?.[1]
  return cast?.(text) ?? text
}
