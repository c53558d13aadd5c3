import { createHash } from 'node:crypto'
import type { ServiceSpec } from './types.js'

/**
 * The digest Compose v2 stores in `com.docker.compose.config-hash`: it covers what the container
 * runs with, not how its image is built, when it starts, under which profiles or how many times
 * (`build`, `depends_on`, `profiles`, `scale`), so that a change to those alone recreates nothing.
 */
export function configHash(service: ServiceSpec): string {
  const {
    build: _build,
    dependsOn: _dependsOn,
    profiles: _profiles,
    replicas: _replicas,
    declared: _declared,
    ...effective
  } = service
  const { replicas: _deployReplicas, ...deploy } = (service.extras.deploy ?? {}) as Record<string, unknown>
  const extras = { ...service.extras, deploy: Object.keys(deploy).length > 0 ? deploy : undefined }
  return createHash('sha256')
    .update(canonicalJson({ ...effective, extras }))
    .digest('hex')
}

/** JSON with mapping keys sorted, so that the same configuration always gives the same text. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
  }
  return JSON.stringify(value)
}
