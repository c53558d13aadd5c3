import type { ContainerCreateOptions, HostConfig } from 'dockerode'
import type { BlkioSettings, DeviceRate, GpuRequest, HostSettings } from '../../model/project/types.js'

/**
 * Pure: the service's host settings (model/fields/host-fields.ts) as the engine's create options, as
 * Compose v2 asks for them. A setting the files do not give is left out, for the engine's default.
 */
export function hostSettings(h: HostSettings): { create: Partial<ContainerCreateOptions>; host: HostConfig } {
  const create = defined({
    Tty: h.tty,
    OpenStdin: h.stdinOpen,
    Domainname: h.domainname,
    MacAddress: h.macAddress,
  })
  const host = defined({
    Privileged: h.privileged,
    ReadonlyRootfs: h.readOnly,
    OomKillDisable: h.oomKillDisable,
    CapAdd: h.capAdd && engineCapabilities(h.capAdd),
    CapDrop: h.capDrop && engineCapabilities(h.capDrop),
    SecurityOpt: h.securityOpt && [...h.securityOpt],
    Dns: h.dns && [...h.dns],
    DnsSearch: h.dnsSearch && [...h.dnsSearch],
    DnsOptions: h.dnsOptions && [...h.dnsOptions],
    GroupAdd: h.groupAdd && [...h.groupAdd],
    DeviceCgroupRules: h.deviceCgroupRules && [...h.deviceCgroupRules],
    Sysctls: h.sysctls && { ...h.sysctls },
    StorageOpt: h.storageOpt && { ...h.storageOpt },
    Ulimits:
      h.ulimits &&
      Object.entries(h.ulimits)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([Name, { soft, hard }]) => ({ Name, Soft: soft, Hard: hard })),
    ShmSize: h.shmSizeBytes,
    IpcMode: h.ipc,
    PidMode: h.pid,
    UTSMode: h.uts,
    CgroupnsMode: h.cgroup,
    CgroupParent: h.cgroupParent,
    UsernsMode: h.usernsMode,
    Runtime: h.runtime,
    Isolation: h.isolation,
    CpusetCpus: h.cpuset,
    OomScoreAdj: h.oomScoreAdj,
    CpuShares: h.cpuShares,
    CpuPeriod: h.cpuPeriod,
    CpuQuota: h.cpuQuota,
    CpuRealtimePeriod: h.cpuRtPeriod,
    CpuRealtimeRuntime: h.cpuRtRuntime,
    CpuCount: h.cpuCount,
    CpuPercent: h.cpuPercent,
    MemorySwappiness: h.memSwappiness,
    LogConfig: h.logging && { Type: h.logging.driver ?? '', Config: { ...h.logging.options } },
    Devices: h.devices?.map((d) => ({
      PathOnHost: d.source,
      PathInContainer: d.target,
      CgroupPermissions: d.permissions,
    })),
    ...(h.blkio && blkio(h.blkio)),
    DeviceRequests: h.gpus?.map((g) => deviceRequest(g, ['gpu'])),
    Annotations: h.annotations && { ...h.annotations },
  }) as HostConfig
  return { create, host }
}

/** A device request as the engine takes it; `gpus` adds the `gpu` capability to those it names, as Compose v2 does. */
export function deviceRequest(g: GpuRequest, capabilities: readonly string[] = []): Record<string, unknown> {
  return {
    Driver: g.driver ?? '',
    Count: g.count ?? 0,
    DeviceIDs: g.deviceIds ? [...g.deviceIds] : [],
    Capabilities: [[...(g.capabilities ?? []), ...capabilities]],
    Options: { ...g.options },
  }
}

/** `blkio_config` as the engine's fields, as Compose v2 sets them. */
function blkio(b: BlkioSettings): Record<string, unknown> {
  const rates = (list: readonly DeviceRate[]) => list.map((d) => ({ Path: d.path, Rate: d.amount }))
  return defined({
    BlkioWeight: b.weight,
    BlkioWeightDevice: b.weightDevice.map((d) => ({ Path: d.path, Weight: d.amount })),
    BlkioDeviceReadBps: rates(b.deviceReadBps),
    BlkioDeviceWriteBps: rates(b.deviceWriteBps),
    BlkioDeviceReadIOps: rates(b.deviceReadIops),
    BlkioDeviceWriteIOps: rates(b.deviceWriteIops),
  })
}

function defined<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>
}

/**
 * Capabilities as Docker's own client (and so Compose 2.40) sends them: upper case, with the
 * `CAP_` prefix (but for `ALL`), each once, sorted.
 */
export function engineCapabilities(caps: readonly string[]): string[] {
  const named = caps.map((c) => c.toUpperCase()).map((c) => (c === 'ALL' || c.startsWith('CAP_') ? c : `CAP_${c}`))
  return [...new Set(named)].sort()
}
