import { ComposeError, type Problem } from '../../model/document/compose-error.js'
import type { LoadedCompose } from '../../model/pipeline/load.js'
import { BUILD_SETTING_KEYS } from '../../model/fields/build-fields.js'
import { serviceKeysRead, type ServiceKeysRead } from '../../model/project/service-keys.js'
import { referencedSource } from '../../model/fields/top-level.js'
import type { ServiceSpec } from '../../model/project/types.js'

/**
 * Service keys that the runtime applies to containers; any other key the files set is refused at
 * `up`. Derived from the one table of service keys (`model/project/service-keys.ts`): every key
 * except those the model keeps only to refuse. `develop` is accepted: `up` leaves it to `watch`
 * and `up --watch`, as Compose does.
 */
export const APPLIED_SERVICE_KEYS: ReadonlySet<string> = serviceKeysRead(
  'typed',
  'host',
  'run',
  'limit',
  'kept',
  'watched',
)

/**
 * What of `deploy` the runtime applies, as Compose v2 applies it outside Swarm: `replicas`,
 * `restart_policy`, the resource limits (cpus, memory, pids) and reservations (memory, devices).
 * The rest is Swarm's, and Compose v2 ignores it: `up` warns of it (`ignoredDeployKeys`).
 */
const APPLIED_DEPLOY_KEYS = ['replicas', 'resources', 'restart_policy']

/** Service keys that only another engine or a newer Compose gives, each with why `up` refuses it. */
const NOT_ON_THIS_ENGINE: { readonly [K in ServiceKeysRead<'unapplied'>]: string } = {
  credential_spec: 'is for Windows containers only, which this engine does not run',
  models: 'needs Docker Model Runner, which compose-harness does not drive',
  provider: 'needs the provider’s Compose plugin, which compose-harness does not run',
  use_api_socket:
    'is not applied by compose-harness: it would hand the container this engine’s socket and your registry credentials',
}

/**
 * Build keys the build API does not take, which the harness's build session serves or BuildKit's
 * control API carries (build-session.ts, build-control.ts); `provenance` and `sbom`, which `build`
 * reads and `up` leaves alone, as Compose v2's do.
 */
const SERVED_BY_BUILD_SESSION = [
  'secrets',
  'ssh',
  'additional_contexts',
  'entitlements',
  'privileged',
  'cache_to',
  'provenance',
  'sbom',
]

/** Mount types the specification defines that this engine cannot mount, each with why. */
const UNMOUNTABLE: Readonly<Record<string, string>> = {
  npipe: 'is a named pipe (type: npipe), which only Windows containers have',
  cluster: 'is a cluster volume (type: cluster), which only Swarm gives',
}

/**
 * What `up` warns of before it starts anything: the files' own warnings (an unset variable, the
 * obsolete `version`) and the Swarm-only `deploy` keys.
 */
export function upWarnings(loaded: LoadedCompose): string[] {
  return [...loaded.project.warnings, ...ignoredDeployKeys(loaded)]
}

/** `deploy` keys that Compose v2 ignores outside Swarm, each with where it is written, for `up`'s warnings. */
export function ignoredDeployKeys({ project }: LoadedCompose): string[] {
  return Object.values(project.services).flatMap((service) => {
    const deploy = (service.extras.deploy ?? {}) as Record<string, unknown>
    const resources = (deploy.resources ?? {}) as Record<string, unknown>
    const reservations = (resources.reservations ?? {}) as Record<string, unknown>
    const at = `services.${service.name}.deploy`
    return [
      ...Object.keys(deploy)
        .filter((k) => !APPLIED_DEPLOY_KEYS.includes(k) && !k.startsWith('x-'))
        .map((k) => `${at}.${k}`),
      ...['cpus', 'generic_resources']
        .filter((k) => reservations[k] != null)
        .map((k) => `${at}.resources.reservations.${k}`),
    ].map((key) => `${key} is ignored: it is Swarm's, and Compose ignores it outside Swarm too`)
  })
}

/**
 * The model holds more than the runtime applies. Rather than start containers that silently
 * differ from the file, `up` refuses, naming every key (and where it is written) that it would ignore.
 */
export function refuseUnapplied({ project, locate }: LoadedCompose): void {
  const problems: Problem[] = []
  const add = (path: (string | number)[], detail: string): void => {
    problems.push({ at: locate(path), path, detail })
  }
  for (const service of Object.values(project.services)) {
    for (const key of service.declared.filter((k) => !APPLIED_SERVICE_KEYS.has(k))) {
      add(
        ['services', service.name, key],
        (NOT_ON_THIS_ENGINE as Readonly<Record<string, string | undefined>>)[key] ??
          'is not applied by compose-harness yet (compose-harness config accepts it)',
      )
    }
    service.volumes.forEach((m, i) => {
      const why = UNMOUNTABLE[m.type]
      if (why) add(['services', service.name, 'volumes', i], why)
    })
    for (const kind of ['post_start', 'pre_stop'] as const) {
      ;(kind === 'post_start' ? service.run.postStart : service.run.preStop)?.forEach((hook, i) => {
        if (hook.command.length === 0) add(['services', service.name, kind, i], 'has no command to run')
      })
    }
    service.run.preStart?.forEach((hook, i) => {
      if (hook.perReplica)
        add(
          ['services', service.name, 'pre_start', i, 'per_replica'],
          'is not supported (Compose does not support it yet either): remove it, and the step runs once for the service',
        )
    })
    // The service's secrets and configs, and its build's secrets (which BuildKit asks the build session for).
    for (const { kind, source, path } of fileReferences(service)) {
      const defined = project[kind][source]
      if (defined?.external)
        add(
          path,
          `${kind}.${source} is external, which only Swarm provides: Compose refuses it outside Swarm too. Give it a file, an environment variable${kind === 'configs' ? ' or content' : ''}`,
        )
      else if (defined?.environment !== undefined && defined.value === undefined)
        add(path, `${kind}.${source} comes from the environment variable ${defined.environment}, which is not set`)
    }
    for (const key of Object.keys(service.build?.options ?? {}).filter(
      (k) => !BUILD_SETTING_KEYS.includes(k) && !SERVED_BY_BUILD_SESSION.includes(k),
    )) {
      add(
        ['services', service.name, 'build', key],
        'is not applied by compose-harness yet: build the image with `docker compose build`, then give its name in `image`',
      )
    }
  }
  if (problems.length > 0) throw new ComposeError(problems)
}

/** The top-level secrets and configs a service names, its build's secrets among them, each with where it is named. */
function fileReferences(
  service: ServiceSpec,
): { kind: 'secrets' | 'configs'; source: string; path: (string | number)[] }[] {
  const own = (['secrets', 'configs'] as const).flatMap((kind) =>
    service[kind].map((m, i) => ({ kind, source: m.source, path: ['services', service.name, kind, i] })),
  )
  const written = service.build?.options.secrets
  const build = (Array.isArray(written) ? written : []).flatMap((ref: unknown, i) => {
    const source = referencedSource(ref)
    return source === undefined
      ? []
      : [{ kind: 'secrets' as const, source, path: ['services', service.name, 'build', 'secrets', i] }]
  })
  return [...own, ...build]
}
