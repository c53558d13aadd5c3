import { ComposeError, type Problem } from '../compose/compose-error.js'
import type { LoadedCompose } from '../compose/load.js'

/** Service keys that the runtime applies to containers; any other key the files set is refused at `up`. */
export const APPLIED_SERVICE_KEYS: ReadonlySet<string> = new Set([
  'build', 'command', 'container_name', 'depends_on', 'deploy', 'entrypoint', 'env_file', 'environment', 'expose',
  'extra_hosts', 'healthcheck', 'hostname', 'image', 'init', 'labels', 'links', 'networks', 'ports', 'profiles',
  'restart', 'scale', 'stop_grace_period', 'stop_signal', 'tmpfs', 'user', 'volumes', 'working_dir',
])

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
    const deploy = service.extras.deploy as Record<string, unknown> | undefined
    for (const key of Object.keys(deploy ?? {})) {
      add(['services', service.name, 'deploy', key], 'is not applied by compose-harness yet (only deploy.replicas is)')
    }
  }
  if (problems.length > 0) throw new ComposeError(problems)
}
