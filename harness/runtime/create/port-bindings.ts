import type { ContainerInspectInfo, HostConfig } from 'dockerode'
import { onEveryInterface } from '../engine/endpoint.js'

/**
 * Where the engine did not bind ports as asked; each check is pure, on what the engine reports.
 * Both are Podman's (its Docker-compatible API, 4.3), and each gets words of its own.
 */

/**
 * The ports the engine lists among a container's port bindings without binding them: Podman's API
 * lists a port the image exposes (EXPOSE) but the file does not publish as `"2000/tcp": null`.
 * Testcontainers waits for every listed binding to get a host port, so such a start times out.
 */
export function listedButUnbound(info: ContainerInspectInfo): string[] {
  return Object.entries((info.HostConfig.PortBindings ?? {}) as Record<string, unknown>)
    .filter(([, bindings]) => !Array.isArray(bindings) || bindings.length === 0)
    .map(([port]) => port)
}

/** What to tell the user when a start timed out on `listedButUnbound` ports. */
export function unboundPortsAdvice(ports: readonly string[]): string {
  const numbers = ports.map((p) => p.split('/')[0])
  return (
    `the engine lists ${ports.join(', ')} among the container's port bindings without publishing ` +
    `${ports.length === 1 ? 'it' : 'them'} (Podman's Docker-compatible API does so for a port the image exposes), and ` +
    `Testcontainers waits until every listed port is published. Publish ${ports.length === 1 ? 'it' : 'them'} in the file ` +
    `(ports: [${numbers.map((n) => `"${n}"`).join(', ')}]), or run on Docker's engine`
  )
}

type Bindings = Record<string, { HostIp?: string }[] | null>

/** Whether one of the bindings asked names an address (not every interface). */
export function asksForAnAddress(asked: HostConfig['PortBindings']): boolean {
  return Object.values((asked ?? {}) as Bindings).some((bindings) => bindings?.some(onOneAddress))
}

/**
 * The bindings asked on one address that the engine made on every interface instead: Podman's API
 * drops the address of a port given no host port (`"127.0.0.1::8080"`, or the harness's default).
 */
export function widenedBindings(asked: HostConfig['PortBindings'], info: ContainerInspectInfo): string[] {
  const made = info.NetworkSettings.Ports ?? {}
  return Object.entries((asked ?? {}) as Bindings).flatMap(([port, bindings]) =>
    bindings?.some(onOneAddress) && (made[port] ?? []).some((b) => !onOneAddress(b)) ? [port] : [],
  )
}

function onOneAddress(binding: { HostIp?: string }): boolean {
  return !onEveryInterface(binding.HostIp)
}
