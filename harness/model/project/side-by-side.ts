import type { ComposeProject } from './types.js'

/**
 * What in `project` another project of the same files, under another name, would collide with if
 * both were up at once: a fixed container name, a fixed host port, the host's network, a network
 * or volume named apart from the project, a fixed subnet. Empty when every engine object it makes
 * is named after the project, so that a project can be removed while the next one comes up.
 */
export function sideBySideCollisions(project: ComposeProject): string[] {
  const scoped = (name: string) => name.startsWith(`${project.name}_`)
  const services = Object.values(project.services).flatMap((s) => [
    ...(s.containerName !== undefined ? [`service "${s.name}": container_name ${s.containerName}`] : []),
    ...s.ports.flatMap((p) =>
      p.published !== undefined && p.published !== '' && p.published !== '0'
        ? [`service "${s.name}": host port ${p.published}`]
        : [],
    ),
    ...(s.networkMode === 'host' ? [`service "${s.name}": network_mode host`] : []),
  ])
  const networks = Object.entries(project.networks).flatMap(([key, n]) => [
    ...(!n.external && !scoped(n.name) ? [`network "${key}": name ${n.name}`] : []),
    ...(!n.external && fixedSubnets(n.options.ipam) ? [`network "${key}": ipam config`] : []),
  ])
  const volumes = Object.entries(project.volumes).flatMap(([key, v]) =>
    !v.external && !scoped(v.name) ? [`volume "${key}": name ${v.name}`] : [],
  )
  return [...services, ...networks, ...volumes]
}

/** Whether a network's `ipam` (as written) gives address pools of its own, which two networks cannot share. */
function fixedSubnets(ipam: unknown): boolean {
  const config = (ipam as { config?: unknown } | undefined)?.config
  return Array.isArray(config) && config.length > 0
}
