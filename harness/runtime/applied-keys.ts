import { ComposeError, type Problem } from '../compose/compose-error.js'
import type { LoadedCompose } from '../compose/load.js'
import type { ServiceSpec } from '../compose/types.js'

/** Service keys that the runtime applies to containers; any other key the files set is refused at `up`. */
export const APPLIED_SERVICE_KEYS: ReadonlySet<string> = new Set([
  'build', 'command', 'depends_on', 'entrypoint', 'env_file', 'environment', 'expose', 'image', 'links', 'profiles',
])

/**
 * The model holds more than the runtime applies yet. Rather than start containers that silently
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
    for (const [dep, spec] of Object.entries(service.dependsOn)) {
      if (spec.condition !== 'service_started') add(['services', service.name, 'depends_on', dep, 'condition'], `${spec.condition} is not applied by compose-harness yet`)
    }
  }
  const usedNetworks = new Set(Object.values(project.services).flatMap((s: ServiceSpec) => Object.keys(s.networks)))
  for (const network of Object.keys(project.networks).filter((n) => n !== 'default' && usedNetworks.has(n))) {
    add(['networks', network], 'named networks are not applied by compose-harness yet')
  }
  if (problems.length > 0) throw new ComposeError(problems)
}
