import { createHash } from 'node:crypto'
import type { NetworkSpec, ServiceSpec, VolumeSpec } from '../project/types.js'
import { goJson } from './go-json.js'
import { NETWORK_SHAPE, SERVICE_SHAPE, VOLUME_SHAPE } from './go-shapes.js'
import { resourceDocument, serviceDocument } from './to-compose.js'

export interface HashOptions {
  /** `as-written` for `config --hash`; `resolved` (the default) for what `up` labels containers with. */
  readonly environment?: 'resolved' | 'as-written'
  /** The ID of a service's first container (by name), for `service:` modes and `volumes_from`, as `up` hashes them. */
  readonly containerOf?: (service: string) => string | undefined
}

/**
 * The digest Compose v2 stores in `com.docker.compose.config-hash`, computed as Compose 2.40
 * computes it (so that each tool keeps the containers the other started): SHA-256 of the service
 * as Go writes it in JSON, without what does not change the container (`build`, `pull_policy`,
 * `scale`, `deploy.replicas`, `depends_on`, `profiles`).
 *
 * `up` hashes the environment with the env files' values in it, and other services' containers by
 * their IDs (`containerOf`); `config --hash` hashes the environment as written, the `env_file` list
 * beside it (`environment: 'as-written'`), and services by name, and so prints another hash than
 * the containers carry when a service has env files or shares another's namespaces or volumes.
 */
export function configHash(service: ServiceSpec, options: HashOptions = {}): string {
  const {
    build: _build,
    pull_policy: _pullPolicy,
    scale: _scale,
    depends_on: _dependsOn,
    profiles: _profiles,
    ...hashed
  } = serviceDocument(service)
  const deploy = hashed.deploy as Record<string, unknown> | undefined
  if (deploy) {
    const { replicas: _replicas, ...rest } = deploy
    hashed.deploy = rest
  }
  if (options.containerOf) Object.assign(hashed, withContainerIds(hashed, options.containerOf))
  if (options.environment === 'as-written' && service.envFiles) {
    const unset = Object.fromEntries((service.unsetEnvironment ?? []).map((name) => [name, null]))
    hashed.environment = { ...service.ownEnvironment, ...unset }
    hashed.env_file = service.envFiles.map((f) => (f.required ? f.path : f))
  }
  return sha256(goJson(hashed, SERVICE_SHAPE))
}

/**
 * `network_mode`, `ipc` and `pid` of `service:NAME` as `container:ID`, and `volumes_from` entries
 * as the container they name, without their mode, as Compose 2.40 rewrites them before hashing.
 * A service with no container yet stays as written.
 */
function withContainerIds(
  doc: Record<string, unknown>,
  containerOf: (service: string) => string | undefined,
): Record<string, unknown> {
  const mode = (value: unknown) => {
    if (typeof value !== 'string' || !value.startsWith('service:')) return value
    const id = containerOf(value.slice('service:'.length))
    return id === undefined ? value : `container:${id}`
  }
  const volumesFrom = doc.volumes_from as string[] | undefined
  return {
    network_mode: mode(doc.network_mode),
    ipc: mode(doc.ipc),
    pid: mode(doc.pid),
    volumes_from: volumesFrom?.map((entry) => {
      const [kind, name] = entry.split(':')
      return kind === 'container' ? name : (containerOf(kind!) ?? entry)
    }),
  }
}

/** The config hash Compose 2.40 labels a network it creates with: its settings, as Go writes them. */
export function networkHash(network: NetworkSpec): string {
  return sha256(goJson(resourceDocument(network), NETWORK_SHAPE))
}

/** The config hash Compose 2.40 labels a volume it creates with (its driver `local` when the files name none). */
export function volumeHash(volume: VolumeSpec): string {
  const doc = resourceDocument(volume)
  return sha256(goJson({ ...doc, driver: doc.driver ?? 'local' }, VOLUME_SHAPE))
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}
