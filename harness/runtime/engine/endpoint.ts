import type { ContainerInspectInfo } from 'dockerode'

/** Where this machine reaches a container's TCP port. */
export interface Endpoint {
  readonly host: string
  readonly port: number
}

/**
 * Through the port's published binding when it has one, on the engine's host: the only way in on
 * Docker Desktop or a remote engine. Otherwise straight to the container's address on its first
 * network, which only a machine running the engine itself (Linux) can reach.
 */
export function endpointOf(info: ContainerInspectInfo, port: number, engineHost: string): Endpoint {
  const binding = info.NetworkSettings.Ports?.[`${port}/tcp`]?.find((b) => b.HostPort)
  if (binding) return { host: publishedHost(binding.HostIp, engineHost), port: Number(binding.HostPort) }
  return { host: containerAddress(info) || '127.0.0.1', port }
}

/** The container's address on the first of its networks; empty or undefined when it has none. */
export function containerAddress(info: ContainerInspectInfo): string | undefined {
  return Object.values(info.NetworkSettings.Networks ?? {})[0]?.IPAddress
}

/**
 * The address at which a port published on `hostIp` answers: for a binding on every interface,
 * the engine's host as testcontainers finds it (the gateway when this process runs in a sibling
 * container, the remote host of a tcp:// engine); for any other binding, its own address. A
 * loopback binding (the harness's default) is reached at that loopback address: it can only be
 * reached from a machine that shares the engine's network, whatever testcontainers guesses.
 * `localhost` is given as 127.0.0.1: Node may resolve it to ::1 first, where the engine does not listen.
 */
export function publishedHost(hostIp: string | undefined, engineHost: string): string {
  if (hostIp === undefined || onEveryInterface(hostIp)) return engineHost === 'localhost' ? '127.0.0.1' : engineHost
  return hostIp
}

/** Whether a binding's address is every interface: none, `0.0.0.0` or `::`. */
export function onEveryInterface(hostIp: string | undefined): boolean {
  return !hostIp || hostIp === '0.0.0.0' || hostIp === '::'
}
