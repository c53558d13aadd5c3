import type { Problems } from './compose-error.js'
import { dependencyGraph, findCycle } from './graph.js'
import type { ComposeProject } from './types.js'

/** A project whose references all resolve and whose dependencies have no cycle. */
export type ValidProject = ComposeProject & { readonly __valid: true }

/** Checks what only the whole project shows; throws a ComposeError with these and all earlier problems. */
export function validate(project: ComposeProject, problems: Problems): ValidProject {
  const known = new Set(Object.keys(project.services))
  for (const service of Object.values(project.services)) {
    service.links.forEach((link, i) => {
      if (!known.has(link.service)) problems.add(['services', service.name, 'links', i], `undefined service ${JSON.stringify(link.service)}`)
    })
    for (const dep of Object.keys(service.dependsOn)) {
      if (!known.has(dep)) problems.add(['services', service.name, 'depends_on', dep], `undefined service ${JSON.stringify(dep)}`)
    }
  }
  const cycle = findCycle(dependencyGraph(project))
  if (cycle) problems.add(['services', cycle[0]!], `dependency cycle: ${cycle.join(' -> ')}`)
  problems.throwIfAny()
  return project as ValidProject
}
