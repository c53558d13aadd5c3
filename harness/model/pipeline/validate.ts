import type { Consistency } from './normalize.js'
import type { Problems } from '../document/compose-error.js'
import { describe } from '../document/describe.js'
import { isMapping } from '../document/values.js'
import { dependencyGraph, findCycle, impliedDependencies, serviceReferences } from '../project/graph.js'
import { referencedSource } from '../fields/top-level.js'
import type { ComposeProject, ServiceSpec } from '../project/types.js'

/** A project whose references all resolve and whose dependencies have no cycle. */
export type ValidProject = ComposeProject & { readonly valid: true }

/**
 * Checks what only the whole project shows; throws a ComposeError with these and all earlier
 * problems. Without `consistency` (`config --no-consistency`), what a service refers to (services,
 * networks, volumes, secrets, configs, models) and the uniqueness of container names go unchecked,
 * as Compose v2 leaves them.
 */
export function validate(project: ComposeProject, problems: Problems, consistency: Consistency = true): ValidProject {
  const check = referenceChecker(project, problems)
  const containerNames = new Map<string, string>()
  const warnings: string[] = []
  for (const service of consistency ? Object.values(project.services) : []) {
    const at = (...path: (string | number)[]) => ['services', service.name, ...path]
    warnings.push(...checkDependencies(project, service, check, at))
    checkNetworksAndVolumes(project, service, problems, at)
    checkFileReferences(project, service, problems, at)
    checkModels(project, service, problems, at)
    if (consistency === true) checkContainerName(service, containerNames, problems)
  }
  const cycle = findCycle(dependencyGraph(project))
  if (cycle) problems.add(['services', cycle[0]!], `dependency cycle: ${cycle.join(' -> ')}`)
  problems.throwIfAny()
  return { ...project, warnings: [...project.warnings, ...warnings], valid: true }
}

/** A place in the service being checked. */
type At = (...path: (string | number)[]) => (string | number)[]

/**
 * The services it depends on exist, each reported where it is written (an implied dependency at its
 * `links`, `network_mode` or `volumes_from`); an optional one that does not is a warning, returned.
 */
function checkDependencies(
  project: ComposeProject,
  service: ServiceSpec,
  check: ReturnType<typeof referenceChecker>,
  at: At,
): string[] {
  const warnings: string[] = []
  for (const ref of serviceReferences(service)) check(ref.service, at(...ref.path))
  const implied = impliedDependencies(service)
  for (const [dep, spec] of Object.entries(service.dependsOn)) {
    if (dep in implied) continue
    if (spec.required) check(dep, at('depends_on', dep))
    else if (!(dep in project.services))
      warnings.push(
        `service "${service.name}" goes on without its optional dependency "${dep}", which is not in the project`,
      )
  }
  return warnings
}

/** The networks it joins and the named volumes it mounts are declared at the top level. */
function checkNetworksAndVolumes(project: ComposeProject, service: ServiceSpec, problems: Problems, at: At): void {
  for (const network of Object.keys(service.networks)) {
    if (!(network in project.networks))
      problems.add(at('networks', network), `undefined network ${JSON.stringify(network)}`)
  }
  service.volumes.forEach((mount, i) => {
    if (mount.type === 'volume' && mount.source && !(mount.source in project.volumes)) {
      problems.add(
        at('volumes', i),
        `undefined volume ${JSON.stringify(mount.source)}: declare it under the top-level volumes`,
      )
    }
  })
}

/** Its secrets, configs and build secrets name top-level ones. */
function checkFileReferences(project: ComposeProject, service: ServiceSpec, problems: Problems, at: At): void {
  const references = [
    { kind: 'secrets', refs: service.extras.secrets, path: ['secrets'] },
    { kind: 'configs', refs: service.extras.configs, path: ['configs'] },
    { kind: 'secrets', refs: service.build?.options.secrets, path: ['build', 'secrets'] },
  ] as const
  for (const { kind, refs, path } of references) {
    if (!Array.isArray(refs)) continue
    refs.forEach((ref: unknown, i) => {
      const source = referencedSource(ref)
      if (source === undefined)
        problems.add(at(...path, i), `expected a name or a mapping with a source, got ${JSON.stringify(ref)}`)
      else if (!(source in project[kind]))
        problems.add(
          at(...path, i),
          `undefined ${kind.slice(0, -1)} ${JSON.stringify(source)}: declare it under the top-level ${kind}`,
        )
    })
  }
}

/** Its `models` name top-level ones. */
function checkModels(project: ComposeProject, service: ServiceSpec, problems: Problems, at: At): void {
  const models = service.extras.models
  if (models === undefined) return
  const names = Array.isArray(models) ? models : isMapping(models) ? Object.keys(models) : undefined
  if (names === undefined)
    problems.add(at('models'), `expected a list of model names or a mapping, got ${describe(models)}`)
  names?.forEach((name, i) => {
    const where = Array.isArray(models) ? at('models', i) : at('models', String(name))
    if (typeof name !== 'string') problems.add(where, `expected a model's name, got ${describe(name)}`)
    else if (!(name in project.models))
      problems.add(where, `undefined model ${JSON.stringify(name)}: declare it under the top-level models`)
  })
}

function referenceChecker(project: ComposeProject, problems: Problems) {
  return (service: string, path: (string | number)[]): void => {
    if (service in project.services) return
    problems.add(
      path,
      project.disabled.includes(service)
        ? `service ${JSON.stringify(service)} is not enabled: none of its profiles is active`
        : `undefined service ${JSON.stringify(service)}`,
    )
  }
}

function checkContainerName(service: ServiceSpec, seen: Map<string, string>, problems: Problems): void {
  if (service.containerName === undefined) return
  const other = seen.get(service.containerName)
  if (other)
    problems.add(
      ['services', service.name, 'container_name'],
      `${JSON.stringify(service.containerName)} is already the container name of service "${other}"`,
    )
  seen.set(service.containerName, service.name)
}
