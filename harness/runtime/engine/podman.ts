import type { ComposeProject } from '../../model/project/types.js'
import type { Engine } from './engine.js'
import { engineIdentity } from './engine-version.js'

/**
 * What Podman's Docker-compatible API does otherwise than Docker's engine, where the harness can
 * only say so (port-bindings.ts has the rest). Tried with Podman 4.3 (Debian 12); see docs/engines-and-ci.md.
 */

/** Whether the engine is Podman (by its ping's headers, asked once an engine). */
export function isPodman(engine: Engine): Promise<boolean> {
  return engineIdentity(engine).then(
    (v) => v.podman,
    () => false,
  )
}

/**
 * Links whose alias differs from the service's name, which Podman ignores (it resolves services by
 * their network aliases only): `client` would not find `talkto`. One warning for each such link.
 */
export function linksPodmanIgnores(project: ComposeProject, services: readonly string[]): string[] {
  return services.flatMap((name) =>
    (project.services[name]?.links ?? [])
      .filter((link) => link.alias !== link.service)
      .map(
        (link) =>
          `${name}: Podman ignores links, so ${link.alias} (its link to ${link.service}) will not resolve. ` +
          `Give ${link.service} the network alias instead (networks: { default: { aliases: [${link.alias}] } }).`,
      ),
  )
}
