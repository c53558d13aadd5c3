import { ComposeError, type Problem } from '../model/compose-error.js'
import type { LoadedCompose } from '../model/load.js'
import { BUILD_SETTING_KEYS } from '../model/build-fields.js'
import { HOST_SETTING_KEYS } from '../model/host-fields.js'
import { isRemoteContext } from '../model/service-fields.js'
import { MODELLED_SERVICE_KEYS } from '../model/service-keys.js'

/**
 * Service keys that the runtime applies to containers; any other key the files set is refused at
 * `up`. The model's typed keys, the host settings (model/host-fields.ts), and the resource limits
 * it keeps as written (resource-fields.ts reads them for the runtime).
 */
export const APPLIED_SERVICE_KEYS: ReadonlySet<string> = new Set([
  ...MODELLED_SERVICE_KEYS,
  'cpus',
  'mem_limit',
  'mem_reservation',
  'memswap_limit',
  'pids_limit',
  ...HOST_SETTING_KEYS,
  'secrets',
  'configs',
  // Accepted and ignored, as Compose does without --watch; `up` warns of it.
  'develop',
])

/** What of `deploy` the runtime applies, beside `replicas`: these resource limits and nothing else. */
const APPLIED_DEPLOY_RESOURCES: Readonly<Record<string, readonly string[]>> = {
  limits: ['cpus', 'memory', 'pids'],
  reservations: ['memory'],
}
const APPLIED_DEPLOY =
  'only deploy.replicas, deploy.resources.limits (cpus, memory, pids) and deploy.resources.reservations.memory are'

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
      add(['services', service.name, key], 'is not applied by compose-harness yet (compose-harness config accepts it)')
    }
    for (const kind of ['secrets', 'configs'] as const) {
      service[kind].forEach((m, i) => {
        const source = project[kind][m.source]
        if (source?.external)
          add(
            ['services', service.name, kind, i],
            `${kind}.${m.source} is external, which only Swarm provides: Compose refuses it outside Swarm too. Give it a file, an environment variable${kind === 'configs' ? ' or content' : ''}`,
          )
        else if (source?.environment !== undefined && source.value === undefined)
          add(
            ['services', service.name, kind, i],
            `${kind}.${m.source} comes from the environment variable ${source.environment}, which is not set`,
          )
      })
    }
    for (const [key, mode] of [
      ['ipc', service.host.ipc],
      ['pid', service.host.pid],
    ] as const) {
      if (mode?.startsWith('service:'))
        add(
          ['services', service.name, key],
          `is not applied by compose-harness yet in its service: form (give container:NAME)`,
        )
    }
    for (const [network, settings] of Object.entries(service.networks)) {
      for (const key of Object.keys(settings.options ?? {}))
        add(['services', service.name, 'networks', network, key], 'is not applied by compose-harness yet')
    }
    for (const key of Object.keys(service.build?.options ?? {}).filter((k) => !BUILD_SETTING_KEYS.includes(k))) {
      add(
        ['services', service.name, 'build', key],
        'needs BuildKit, and compose-harness builds with the engine’s classic builder: build the image with `docker buildx bake` or `docker compose build`, then give its name in `image`',
      )
    }
    if ((service.build?.settings.platforms?.length ?? 0) > 1)
      add(
        ['services', service.name, 'build', 'platforms'],
        'names several platforms: the engine’s classic builder builds one image for one platform',
      )
    if (service.build && isRemoteContext(service.build.context)) {
      add(
        ['services', service.name, 'build', 'context'],
        'is a remote context, which compose-harness does not fetch: clone or download it, and give its local path',
      )
    }
    const deploy = (service.extras.deploy ?? {}) as Record<string, unknown>
    const at = ['services', service.name, 'deploy']
    for (const key of Object.keys(deploy).filter((k) => k !== 'resources' && k !== 'replicas'))
      add([...at, key], `is not applied by compose-harness yet (${APPLIED_DEPLOY})`)
    for (const [kind, values] of Object.entries((deploy.resources ?? {}) as Record<string, Record<string, unknown>>)) {
      for (const key of Object.keys(values ?? {}).filter(
        (k) => !k.startsWith('x-') && !APPLIED_DEPLOY_RESOURCES[kind]?.includes(k),
      )) {
        add([...at, 'resources', kind, key], `is not applied by compose-harness yet (${APPLIED_DEPLOY})`)
      }
    }
  }
  if (problems.length > 0) throw new ComposeError(problems)
}
