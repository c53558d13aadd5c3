import type { ContainerCreateOptions, HostConfig } from 'dockerode'
import {
  nameSeparatorOf,
  type ComposeProject,
  type LinkSpec,
  type PortSpec,
  type ResourceLimits,
  type ServiceSpec,
} from '../../model/project/types.js'
import { serviceReferences } from '../../model/project/graph.js'
import { containerMounts } from './container-mounts.js'
import { fileMounts, type InjectedFile } from './file-mounts.js'
import { deviceRequest, hostSettings } from './host-config.js'

/** One network a container joins: the engine's network name, its host names there, and the link aliases it sees. */
export interface NetworkAttachment {
  readonly network: string
  readonly aliases: readonly string[]
  readonly links: readonly string[]
  /** A static address the file gives on this network (`ipv4_address`, `ipv6_address`). */
  readonly ipv4Address?: string
  readonly ipv6Address?: string
  readonly linkLocalIps?: readonly string[]
  readonly macAddress?: string
  readonly driverOpts?: Readonly<Record<string, string>>
  readonly gwPriority?: number
  readonly interfaceName?: string
}

/** Everything the engine needs to create one container of a service, as Compose v2 would create it. */
export interface ContainerSpec {
  readonly create: ContainerCreateOptions
  readonly host: HostConfig
  /** The first network is given at create time; the others are connected before the container starts. */
  readonly networks: readonly NetworkAttachment[]
  /** Secrets and configs written into the container before it starts (from environment variables or content). */
  readonly files: readonly InjectedFile[]
  /** `network_mode` as the engine takes it (`host`, `none`, `container:NAME`); absent when the service joins networks. */
  readonly networkMode?: string
}

export interface ContainerSpecInput {
  readonly project: ComposeProject
  readonly service: ServiceSpec
  readonly name: string
  /** The container's number in its service (1 for the first). */
  readonly number: number
  readonly labels: Readonly<Record<string, string>>
  /** service → names of its containers, for the links this service declares. */
  readonly containersOf: (service: string) => readonly string[]
  /** Where a port the file publishes without an address is bound (publish-address.ts). */
  readonly publishAddress: string
}

const NANOS_PER_MS = 1_000_000

/** Pure: turns a service's model into the engine's create options. */
export function containerSpec({
  project,
  service,
  name,
  number,
  labels,
  containersOf,
  publishAddress,
}: ContainerSpecInput): ContainerSpec {
  const settings = hostSettings(service.host)
  const restart = service.run.deployRestart ?? service.restart
  const create: ContainerCreateOptions = {
    name,
    Image: service.image,
    Labels: { ...service.labels, ...labels },
    // A name with no value is given bare, as Compose v2 gives it: the engine keeps it in the
    // container's configuration and sets nothing in its processes' environment.
    Env: [...Object.entries(service.environment).map(([k, v]) => `${k}=${v}`), ...(service.unsetEnvironment ?? [])],
    ExposedPorts: Object.fromEntries(
      [...service.expose, ...service.ports.map((p) => `${p.target}/${p.protocol}`)].map((p) => [p, {}]),
    ),
    ...(service.command && { Cmd: [...service.command] }),
    ...(service.entrypoint && { Entrypoint: [...service.entrypoint] }),
    ...(service.workingDir !== undefined && { WorkingDir: service.workingDir }),
    ...(service.user !== undefined && { User: service.user }),
    ...(service.hostname !== undefined && { Hostname: service.hostname }),
    ...(service.stopSignal !== undefined && { StopSignal: service.stopSignal }),
    ...(service.stopGracePeriodMs !== undefined && { StopTimeout: Math.ceil(service.stopGracePeriodMs / 1000) }),
    ...(service.healthcheck && { Healthcheck: healthcheck(service) }),
    ...settings.create,
    ...(service.run.platform !== undefined && { platform: service.run.platform }),
  }
  const host: HostConfig = {
    ...settings.host,
    PortBindings: portBindings(service.ports, publishAddress),
    ...containerMounts(service, project),
    ExtraHosts: Object.entries(service.extraHosts).flatMap(([h, ips]) => ips.map((ip) => `${h}:${ip}`)),
    ...(service.init !== undefined && { Init: service.init }),
    ...(restart !== undefined && { RestartPolicy: restartPolicy(restart) }),
    ...resourceLimits(service.resources),
  }
  if (settings.host.DeviceRequests && service.resources.devices)
    host.DeviceRequests = [...settings.host.DeviceRequests, ...(host.DeviceRequests ?? [])]
  const networkMode = service.networkMode && engineMode(service.networkMode, containersOf)
  if (service.host.ipc) host.IpcMode = engineMode(service.host.ipc, containersOf)
  if (service.host.pid) host.PidMode = engineMode(service.host.pid, containersOf)
  const { binds, files } = fileMounts(service, project)
  if (binds.length > 0) host.Mounts = [...(host.Mounts ?? []), ...binds] as HostConfig['Mounts']
  return {
    create,
    files,
    host: { ...host, ...(service.volumesFrom.length > 0 && { VolumesFrom: volumesFrom(service, containersOf) }) },
    networks: networkMode ? [] : attachments(project, service, { name, number }, containersOf),
    ...(networkMode && { networkMode }),
  }
}

/**
 * `service:NAME` (of `network_mode`, `ipc` or `pid`) is that namespace of NAME's first container;
 * the other modes go to the engine as written.
 */
function engineMode(mode: string, containersOf: (service: string) => readonly string[]): string {
  if (!mode.startsWith('service:')) return mode
  return `container:${containersOf(mode.slice('service:'.length))[0]}`
}

/**
 * `volumes_from` as Compose v2 hands it to the engine: a service is its first container, a
 * `container:NAME` is NAME, each with its `:ro` or `:rw` when the file gives one.
 */
function volumesFrom(service: ServiceSpec, containersOf: (service: string) => readonly string[]): string[] {
  return service.volumesFrom.map((entry) => {
    const [kind, ...rest] = entry.split(':')
    if (kind === 'container') return rest.join(':')
    return [containersOf(kind!)[0], ...rest].join(':')
  })
}

/**
 * Whether the container's create names another container of the project, which must then exist:
 * every service it refers to but by a link (`volumes_from`, `service:…` of `network_mode`, `ipc`, `pid`).
 */
export function namesOtherContainers(service: ServiceSpec): boolean {
  return serviceReferences(service).some((ref) => ref.path[0] !== 'links')
}

/** Host port bindings; a port without a host address binds to `publishAddress`. */
function portBindings(
  ports: readonly PortSpec[],
  publishAddress: string,
): Record<string, { HostIp: string; HostPort: string }[]> {
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {}
  for (const p of ports) {
    const key = `${p.target}/${p.protocol}`
    bindings[key] = [...(bindings[key] ?? []), { HostIp: p.hostIp ?? publishAddress, HostPort: p.published ?? '' }]
  }
  return bindings
}

function healthcheck(service: ServiceSpec): NonNullable<ContainerCreateOptions['Healthcheck']> {
  const h = service.healthcheck!
  const nanos = (ms: number | undefined) => (ms === undefined ? 0 : ms * NANOS_PER_MS)
  return {
    Test: [...h.test],
    Interval: nanos(h.intervalMs),
    Timeout: nanos(h.timeoutMs),
    Retries: h.retries ?? 0,
    StartPeriod: nanos(h.startPeriodMs),
    // API 1.44 on: engine-limits.ts refuses it below.
    ...(h.startIntervalMs !== undefined && { StartInterval: nanos(h.startIntervalMs) }),
  }
}

function resourceLimits(r: ResourceLimits): Partial<HostConfig> {
  const limits = {
    Memory: r.memoryBytes,
    MemorySwap: r.memorySwapBytes,
    MemoryReservation: r.memoryReservationBytes,
    NanoCpus: r.nanoCpus,
    PidsLimit: r.pidsLimit,
    DeviceRequests: r.devices?.map((d) => deviceRequest(d)),
  }
  return Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined))
}

function restartPolicy(policy: string): NonNullable<HostConfig['RestartPolicy']> {
  const [name, retries] = policy.split(':')
  return { Name: name === 'no' ? '' : name!, ...(retries !== undefined && { MaximumRetryCount: Number(retries) }) }
}

/** The service's networks (key and settings), by priority then name: Compose's order. */
export function networksByPriority(service: ServiceSpec): [string, ServiceSpec['networks'][string]][] {
  return Object.entries(service.networks).sort(
    ([a, x], [b, y]) => (y.priority ?? 0) - (x.priority ?? 0) || a.localeCompare(b),
  )
}

/**
 * The service's networks, by priority then name (Compose's order). On each it is known by its
 * service name, its container name (as Compose v2 does) and that network's aliases; a link's
 * alias is given only to the linking container, and only on networks where the linked service's
 * containers are too. `external_links` (to a container outside the project, which must share a
 * network with it) are given on every network, as Compose v2 gives them.
 */
function attachments(
  project: ComposeProject,
  service: ServiceSpec,
  container: { name: string; number: number },
  containersOf: (service: string) => readonly string[],
): NetworkAttachment[] {
  const byPriority = networksByPriority(service)
  const external = ((service.extras.external_links ?? []) as string[]).map((l) => {
    const [linked, alias = linked] = l.split(':')
    return `${linked}:${alias}`
  })
  return byPriority.map(([key, n]) => {
    const links = [
      ...service.links
        .filter((l) => key in (project.services[l.service]?.networks ?? {}))
        .flatMap((l) => containersOf(l.service).flatMap((c) => linkNames(c, l, project, container.number))),
      ...external,
    ]
    return {
      network: project.networks[key]!.name,
      aliases: [service.name, container.name, ...n.aliases],
      links,
      ...(n.ipv4Address !== undefined && { ipv4Address: n.ipv4Address }),
      ...(n.ipv6Address !== undefined && { ipv6Address: n.ipv6Address }),
      ...(n.linkLocalIps !== undefined && { linkLocalIps: n.linkLocalIps }),
      ...(n.macAddress !== undefined && { macAddress: n.macAddress }),
      ...(n.driverOpts !== undefined && { driverOpts: n.driverOpts }),
      ...(n.gwPriority !== undefined && { gwPriority: n.gwPriority }),
      ...(n.interfaceName !== undefined && { interfaceName: n.interfaceName }),
    }
  })
}

/**
 * The names under which a linked container is known, exactly as Compose v2 writes them: the link's
 * alias, then `<service>-<n>` and `<project>-<service>-<n>`, where n is the *linking* container's
 * number (v2's own rule, kept so that both tools give a container the same links).
 */
function linkNames(linked: string, link: LinkSpec, project: ComposeProject, number: number): string[] {
  const joined = (...parts: (string | number)[]) => parts.join(nameSeparatorOf(project))
  return [
    `${linked}:${link.alias}`,
    `${linked}:${joined(link.service, number)}`,
    `${linked}:${joined(project.name, link.service, number)}`,
  ]
}
