import { HarnessError } from '../../errors.js'
import type { ComposeProject } from './types.js'

/** A service named by the caller (`up web`, `{ services: ['web'] }`) that the project does not run. */
export class UnknownServiceError extends HarnessError {
  override readonly name = 'UnknownServiceError'

  constructor(
    readonly service: string,
    readonly project: string,
    detail: string,
  ) {
    super(detail)
  }
}

/**
 * Checks that every named service is one the project runs. A name that is nowhere in the files and
 * one whose profiles are all inactive fail differently: the second only needs a `--profile`. A
 * project known by its name alone has no list to check against: a name its containers do not carry
 * matches none of them, as in Compose v2.
 */
export function checkServiceNames(project: ComposeProject, services: readonly string[] | undefined): void {
  if (project.byName) return
  for (const service of services ?? []) {
    if (service in project.services) continue
    const detail = project.disabled.includes(service)
      ? `service "${service}" is only in profiles that are not active: name it to the command that starts it, or activate one with --profile (withServicesEnabled() or withProfiles() in the API)`
      : `no such service: ${service} (in ${project.files.join(', ')}; the services are ${Object.keys(project.services).join(', ')})`
    throw new UnknownServiceError(service, project.name, detail)
  }
}

/** `up` of a project whose files define no service, or none whose profiles are active (Compose v2: "no service selected"). */
export class NoServiceSelectedError extends HarnessError {
  constructor(project: ComposeProject) {
    super(
      project.disabled.length > 0
        ? `no service selected: every service of ${project.files.join(', ')} is in a profile that is not active (${project.disabled.join(', ')}); activate one with --profile`
        : `no service selected: ${project.files.join(', ')} define no service`,
    )
  }
}
