import { isAbsolute } from 'node:path'
import { isMapping } from '../../model/document/values.js'
import type { BuildSpec, ComposeProject } from '../../model/project/types.js'

/** A build's `additional_contexts`, as BuildKit's Dockerfile frontend takes them. */
export interface NamedContexts {
  /** `context:NAME` frontend attributes. */
  readonly attrs: Readonly<Record<string, string>>
  /** The local directories among them, served by the build session under their names. */
  readonly dirs: ReadonlyMap<string, string>
  /** The services whose images they name (`service:NAME`): built before this one. */
  readonly services: readonly string[]
}

/**
 * Pure: the build's `additional_contexts` as Compose v2 hands them to BuildKit: a local directory
 * is served by the session (`local:NAME`), `service:NAME` is that service's image
 * (`docker-image://IMAGE`, built first), and an image, a git repository or a URL is given as written.
 */
export function namedContexts(build: BuildSpec, project: ComposeProject): NamedContexts {
  const written = build.options.additional_contexts
  // The model makes the list form (`- NAME=VALUE`) a mapping, local paths absolute.
  const pairs = isMapping(written) ? Object.entries(written).map(([name, value]) => [name, String(value)] as const) : []
  const attrs: Record<string, string> = {}
  const dirs = new Map<string, string>()
  const services: string[] = []
  for (const [name, value] of pairs) {
    if (value.startsWith('service:')) {
      const service = value.slice('service:'.length)
      services.push(service)
      attrs[`context:${name}`] = `docker-image://${project.services[service]?.image ?? service}`
    } else if (isAbsolute(value)) {
      dirs.set(name, value)
      attrs[`context:${name}`] = `local:${name}`
    } else attrs[`context:${name}`] = value
  }
  return { attrs, dirs, services }
}
