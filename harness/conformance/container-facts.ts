import type { ContainerInspectInfo, NetworkInspectInfo, VolumeInspectInfo } from 'dockerode'
import type { ProjectInspection } from '../runtime/project/project-inspection.js'

/**
 * What a container, network or volume is, in the terms both tools must agree on: the engine's
 * inspection with everything that names the project, or is minted per run (IDs, times, random
 * host ports, anonymous volume names), written the same way for both. Pure, so that its rules
 * are unit-tested; `compare-containers.ts` feeds it real inspections.
 */
export interface ProjectFacts {
  readonly containers: Readonly<Record<string, unknown>>
  readonly networks: Readonly<Record<string, unknown>>
  readonly volumes: Readonly<Record<string, unknown>>
}

/** Labels whose values are each tool's own (its version, its session), not the project's. */
const DEPENDS_ON = 'com.docker.compose.depends_on'
const IMAGE_LABEL = 'com.docker.compose.image'
const CONFIG_HASH = 'com.docker.compose.config-hash'
const TOOL_LABELS = new Set(['com.docker.compose.version', 'com.compose-harness.session'])

/**
 * `fixedIpam`: the engine names of networks whose files give an `ipam` configuration; the others'
 * subnets are the engine's free choice, different for each project, and are not compared.
 */
export function projectFacts(
  project: string,
  { containers, networks, volumes }: ProjectInspection,
  fixedIpam: ReadonlySet<string> = new Set(),
): ProjectFacts {
  const anonymous = new Map<string, string>()
  const neutral = neutralizer(project, containers, anonymous)
  const byName = <T>(items: readonly T[], name: (t: T) => string, facts: (t: T) => unknown) =>
    Object.fromEntries(
      items.map((item): [string, unknown] => [neutral(name(item)), facts(item)]).sort(([a], [b]) => a.localeCompare(b)),
    )
  return {
    containers: byName(
      containers,
      (c) => c.Name.replace(/^\//, ''),
      (c) => neutralDeep(containerFacts(c, anonymous, project), neutral),
    ),
    networks: byName(
      networks,
      (n) => n.Name,
      (n) => neutralDeep(networkFacts(n, fixedIpam.has(n.Name)), neutral),
    ),
    volumes: byName(
      volumes.filter((v) => !anonymous.has(v.Name)),
      (v) => v.Name,
      (v) => neutralDeep(volumeFacts(v), neutral),
    ),
  }
}

function containerFacts(
  c: ContainerInspectInfo,
  anonymous: Map<string, string>,
  project: string,
): Record<string, unknown> {
  return {
    ...configFacts(c, project),
    mounts: mountFacts(c, anonymous),
    asked: askedMounts(c.HostConfig),
    ...hostFacts(c.HostConfig),
    macAddress: (c.Config as { MacAddress?: string }).MacAddress,
    networks: endpointFacts(c),
  }
}

/** What the container runs and how (its `Config`), with what is minted per run made neutral. */
function configFacts(c: ContainerInspectInfo, project: string): Record<string, unknown> {
  const labels = withoutToolLabels(c.Config.Labels)
  // An image each tool builds for its own project has an ID of its own: the same build, another ID.
  if (labels[IMAGE_LABEL] && c.Config.Image.startsWith(`${project}-`))
    labels[IMAGE_LABEL] = '<image built for the project>'
  // The config hash is Compose v2's in both: the same files give the same hash, but where the
  // container shares another's namespaces or volumes, that container's ID is in it.
  const host = c.HostConfig as { NetworkMode?: string; IpcMode?: string; PidMode?: string; VolumesFrom?: string[] }
  const namesContainers =
    [host.NetworkMode, host.IpcMode, host.PidMode].some((mode) => mode?.startsWith('container:')) ||
    (host.VolumesFrom?.length ?? 0) > 0
  if (labels[CONFIG_HASH] && namesContainers) labels[CONFIG_HASH] = '<hash of another container’s ID>'
  return {
    image: c.Config.Image,
    cmd: c.Config.Cmd,
    entrypoint: c.Config.Entrypoint,
    env: [...(c.Config.Env ?? [])].sort(),
    labels,
    user: c.Config.User,
    workingDir: c.Config.WorkingDir,
    // The engine names a container's host after its ID unless the file names it.
    hostname: c.Config.Hostname === c.Id.slice(0, 12) ? '<id>' : c.Config.Hostname,
    domainname: c.Config.Domainname,
    exposedPorts: Object.keys(c.Config.ExposedPorts ?? {}).sort(),
    stopSignal: (c.Config as { StopSignal?: string }).StopSignal,
    stopTimeout: (c.Config as { StopTimeout?: number }).StopTimeout,
    healthcheck: c.Config.Healthcheck,
    tty: c.Config.Tty,
    openStdin: c.Config.OpenStdin,
    attach: [c.Config.AttachStdin, c.Config.AttachStdout, c.Config.AttachStderr],
  }
}

/** Its mounts, by destination; an anonymous volume by the name it is known under in the comparison. */
function mountFacts(c: ContainerInspectInfo, anonymous: Map<string, string>): Record<string, unknown>[] {
  return (c.Mounts ?? [])
    .map((m) => ({
      type: m.Type,
      source: m.Type === 'volume' ? anonymousName(m.Name, anonymous) : m.Source,
      destination: m.Destination,
      rw: m.RW,
      mode: m.Mode,
    }))
    .sort((a, b) => a.destination.localeCompare(b.destination))
}

/** A mount as the engine was asked for it (`HostConfig.Mounts`), with its options. */
interface AskedMount {
  readonly Type: string
  readonly Source?: string
  readonly Target: string
  readonly ReadOnly?: boolean
  readonly BindOptions?: Record<string, unknown>
  readonly VolumeOptions?: Record<string, unknown>
  readonly TmpfsOptions?: Record<string, unknown>
  readonly ImageOptions?: Record<string, unknown>
}

/**
 * How its mounts were asked: each `Binds` entry, and each `Mounts` entry by target with the
 * options the engine applies (one left empty or false is none, however each tool writes it).
 */
function askedMounts(h: ContainerInspectInfo['HostConfig']): Record<string, unknown> {
  const set = (options: Record<string, unknown> | undefined) => {
    const kept = Object.entries(options ?? {}).filter(
      ([, v]) =>
        v !== false && v !== '' && v !== 0 && v != null && !(typeof v === 'object' && Object.keys(v).length === 0),
    )
    return kept.length > 0 ? Object.fromEntries(kept) : undefined
  }
  const mounts = ((h as { Mounts?: AskedMount[] }).Mounts ?? []).map((m) => ({
    target: m.Target,
    type: m.Type,
    source: m.Source || undefined,
    readOnly: m.ReadOnly ?? false,
    bind: set(m.BindOptions),
    volume: set(m.VolumeOptions),
    tmpfs: set(m.TmpfsOptions),
    image: set(m.ImageOptions),
  }))
  return {
    binds: [...(h.Binds ?? [])].sort(),
    mounts: mounts.sort((a, b) => a.target.localeCompare(b.target)),
  }
}

/** Its host configuration: ports, restart, limits, namespaces, devices, links. */
function hostFacts(h: ContainerInspectInfo['HostConfig']): Record<string, unknown> {
  return {
    portBindings: h.PortBindings,
    tmpfs: h.Tmpfs,
    restartPolicy: h.RestartPolicy,
    init: h.Init,
    extraHosts: [...((h.ExtraHosts ?? []) as string[])].sort(),
    dns: h.Dns,
    dnsSearch: h.DnsSearch,
    dnsOptions: h.DnsOptions,
    capAdd: h.CapAdd,
    capDrop: h.CapDrop,
    privileged: h.Privileged,
    readonlyRootfs: h.ReadonlyRootfs,
    securityOpt: h.SecurityOpt,
    sysctls: h.Sysctls,
    ulimits: h.Ulimits,
    shmSize: h.ShmSize,
    memory: h.Memory,
    memorySwap: h.MemorySwap,
    memoryReservation: h.MemoryReservation,
    nanoCpus: h.NanoCpus,
    cpuShares: h.CpuShares,
    cpuPeriod: h.CpuPeriod,
    cpuQuota: h.CpuQuota,
    cpuRealtimePeriod: h.CpuRealtimePeriod,
    cpuRealtimeRuntime: h.CpuRealtimeRuntime,
    cpusetCpus: h.CpusetCpus,
    memorySwappiness: h.MemorySwappiness,
    oomKillDisable: h.OomKillDisable,
    oomScoreAdj: h.OomScoreAdj,
    cgroupParent: h.CgroupParent,
    cgroupnsMode: (h as { CgroupnsMode?: string }).CgroupnsMode,
    utsMode: h.UTSMode,
    usernsMode: h.UsernsMode,
    runtime: h.Runtime,
    devices: h.Devices,
    deviceCgroupRules: h.DeviceCgroupRules,
    pidsLimit: h.PidsLimit,
    networkMode: h.NetworkMode,
    ipcMode: h.IpcMode,
    pidMode: h.PidMode,
    logConfig: h.LogConfig,
    groupAdd: h.GroupAdd,
    volumesFrom: h.VolumesFrom,
    links: [...((h.Links ?? []) as string[])].sort(),
  }
}

/** Its networks, with its aliases there (the engine's own alias, its short ID, left out), address and links. */
function endpointFacts(c: ContainerInspectInfo): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(c.NetworkSettings.Networks ?? {}).map(([name, n]) => [
      name,
      {
        aliases: ((n.Aliases ?? []) as string[]).filter((a) => a !== c.Id.slice(0, 12)).sort(),
        ipv4Address: (n.IPAMConfig as { IPv4Address?: string } | undefined)?.IPv4Address,
        links: (n.Links as string[] | undefined)?.length ? (n.Links as string[]) : undefined,
      },
    ]),
  )
}

function networkFacts(n: NetworkInspectInfo, fixedIpam: boolean): Record<string, unknown> {
  return {
    driver: n.Driver,
    internal: n.Internal,
    attachable: n.Attachable,
    enableIPv6: n.EnableIPv6,
    ipam: fixedIpam ? n.IPAM?.Config : undefined,
    options: n.Options,
    labels: withNamedHash(withoutToolLabels(n.Labels)),
  }
}

function volumeFacts(v: VolumeInspectInfo): Record<string, unknown> {
  return { driver: v.Driver, labels: withNamedHash(withoutToolLabels(v.Labels ?? undefined)), options: v.Options }
}

/**
 * A network's or volume's config hash covers its engine name, which has the project's in it: each
 * project's is its own. Whether one is there is compared; its value is checked against Compose
 * 2.40's own labels in specs/unit/model/config-hash.spec.ts.
 */
function withNamedHash(labels: Record<string, string>): Record<string, string> {
  return labels[CONFIG_HASH] ? { ...labels, [CONFIG_HASH]: '<hash of the settings and the name>' } : labels
}

/** Labels but the tools' own; the dependency list in a stable order (Compose v2 writes it in its map's random order). */
function withoutToolLabels(labels: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(labels ?? {})
      .filter(([k]) => !TOOL_LABELS.has(k))
      .map(([k, v]) => [k, k === DEPENDS_ON ? v.split(',').sort().join(',') : v]),
  )
}

/** Anonymous volumes get random names: each is named after the first mount point it is seen at. */
function anonymousName(name: string | undefined, anonymous: Map<string, string>): string | undefined {
  return name === undefined ? undefined : (anonymous.get(name) ?? name)
}

/** Replaces the project name and every container ID with placeholders, in any string. */
function neutralizer(
  project: string,
  containers: readonly ContainerInspectInfo[],
  anonymous: Map<string, string>,
): (text: string) => string {
  // Named after the first container, by name, that mounts it: volumes_from shares one among several.
  for (const c of [...containers].sort((a, b) => a.Name.localeCompare(b.Name))) {
    for (const m of c.Mounts ?? []) {
      if (m.Type === 'volume' && m.Name && /^[0-9a-f]{64}$/.test(m.Name) && !anonymous.has(m.Name))
        anonymous.set(m.Name, `<anonymous ${c.Name.replace(`/${project}`, '<project>')}:${m.Destination}>`)
    }
  }
  // A container's ID stands for the container: written as its name (`container:<project>-db-1`),
  // so that one tool naming a container by ID and the other by name agree.
  const names = containers.map((c) => [c.Id, c.Name.replace(/^\//, '')] as const)
  return (text) => {
    let out = text
    for (const [id, name] of names) out = out.replaceAll(id, name).replaceAll(id.slice(0, 12), name)
    return out.replace(
      new RegExp(`(^|[^a-z0-9])${project.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=[-_]|$)`, 'g'),
      '$1<project>',
    )
  }
}

function neutralDeep(value: unknown, neutral: (text: string) => string): unknown {
  if (typeof value === 'string') return neutral(value)
  if (Array.isArray(value)) return value.map((v) => neutralDeep(v, neutral))
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [neutral(k), neutralDeep(v, neutral)]))
  }
  return value
}
