import type { ContainerInspectInfo, HostConfig } from 'dockerode'
import { onEveryInterface } from '../engine/endpoint.js'

/**
 * Where the engine did not bind ports as asked; pure, on what the engine reports: Podman's
 * Docker-compatible API (4.3) puts on every interface a port asked on one address.
 */

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
