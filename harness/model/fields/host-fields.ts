import { describe, isScalar } from '../document/describe.js'
import {
  readBoolean,
  readInteger,
  readKeyValues,
  readList,
  oneOf,
  readMapping,
  readFields,
  readString,
  readStringList,
  readStrings,
  type FieldContext,
  type FieldReader,
  type FieldTable,
} from './readers.js'
import { isMapping } from '../document/values.js'
import { parseBytes, readDeviceRequests } from './resource-fields.js'
import type { BlkioSettings, DeviceRate, DeviceSpec, GpuRequest, HostSettings, UlimitSpec } from '../project/types.js'
import type { YamlPath } from '../document/where.js'
import type { ServiceKeysRead } from '../project/service-keys.js'

/** A whole number from `min` to `max`. */
const integer =
  (min: number, max = Number.MAX_SAFE_INTEGER): FieldReader =>
  (value, path, ctx) => {
    const n = readInteger(value, path, ctx, min)
    if (n === undefined || n <= max) return n
    ctx.problems.add(path, `expected a whole number from ${min} to ${max}, got ${describe(value)}`)
    return undefined
  }

/**
 * The service keys that set the container's host configuration, each with its reader: the key's
 * exact shape checked (file, line and key on every problem) and its value in the engine's units.
 */
const HOST_KEYS: { readonly [K in ServiceKeysRead<'host'>]: FieldTable<HostSettings>[string] } = {
  privileged: ['privileged', readBoolean],
  read_only: ['readOnly', readBoolean],
  tty: ['tty', readBoolean],
  stdin_open: ['stdinOpen', readBoolean],
  oom_kill_disable: ['oomKillDisable', readBoolean],
  cap_add: ['capAdd', readStringList],
  cap_drop: ['capDrop', readStringList],
  security_opt: ['securityOpt', readStringList],
  dns: ['dns', readStrings],
  dns_search: ['dnsSearch', readStrings],
  dns_opt: ['dnsOptions', readStringList],
  group_add: ['groupAdd', readStringList],
  device_cgroup_rules: ['deviceCgroupRules', readStringList],
  sysctls: ['sysctls', (v, p, c) => readKeyValues(v, p, c, 'empty')],
  storage_opt: ['storageOpt', (v, p, c) => readKeyValues(v, p, c, 'empty')],
  ulimits: ['ulimits', readUlimits],
  shm_size: ['shmSizeBytes', readBytes],
  ipc: ['ipc', oneOf(['none', 'private', 'shareable', 'host'], ['container:', 'service:'])],
  pid: ['pid', oneOf(['host'], ['container:', 'service:'])],
  uts: ['uts', oneOf(['host'])],
  cgroup: ['cgroup', oneOf(['host', 'private'])],
  cgroup_parent: ['cgroupParent', readString],
  userns_mode: ['usernsMode', readString],
  runtime: ['runtime', readString],
  isolation: ['isolation', readString],
  domainname: ['domainname', readString],
  mac_address: ['macAddress', readString],
  cpuset: ['cpuset', readString],
  oom_score_adj: ['oomScoreAdj', integer(-1000, 1000)],
  cpu_shares: ['cpuShares', integer(0)],
  cpu_period: ['cpuPeriod', integer(0)],
  cpu_quota: ['cpuQuota', integer(-1)],
  cpu_rt_period: ['cpuRtPeriod', integer(0)],
  cpu_rt_runtime: ['cpuRtRuntime', integer(0)],
  cpu_count: ['cpuCount', integer(0)],
  cpu_percent: ['cpuPercent', integer(0, 100)],
  mem_swappiness: ['memSwappiness', integer(0, 100)],
  logging: ['logging', readLogging],
  devices: ['devices', readDevices],
  blkio_config: ['blkio', readBlkio],
  gpus: ['gpus', readGpus],
  annotations: ['annotations', (v, p, c) => readKeyValues(v, p, c, 'empty')],
}

/** Every host setting the service's keys give, checked; keys not set are absent. */
export function readHostSettings(raw: Record<string, unknown>, path: YamlPath, ctx: FieldContext): HostSettings {
  return readFields(raw, HOST_KEYS, path, ctx)
}

export function readBytes(value: unknown, path: YamlPath, ctx: FieldContext): number | undefined {
  const bytes = parseBytes(value)
  if (bytes === undefined)
    ctx.problems.add(path, `expected a byte size such as "64m" or 67108864, got ${describe(value)}`)
  return bytes
}

/** `nofile: 20000` (soft and hard the same) or `nofile: {soft: 1024, hard: 2048}`. */
export function readUlimits(value: unknown, path: YamlPath, ctx: FieldContext): Record<string, UlimitSpec> {
  if (!isMapping(value)) {
    ctx.problems.add(path, `expected a mapping of limits, got ${describe(value)}`)
    return {}
  }
  const out: Record<string, UlimitSpec> = {}
  for (const [name, limit] of Object.entries(value)) {
    const at = [...path, name]
    if (!isMapping(limit)) {
      const both = readInteger(limit, at, ctx, -1)
      if (both !== undefined) out[name] = { soft: both, hard: both }
      continue
    }
    const pair = readMapping(limit, at, ctx, ['soft', 'hard'])
    const soft = readInteger(pair.soft, [...at, 'soft'], ctx, -1)
    const hard = readInteger(pair.hard, [...at, 'hard'], ctx, -1)
    if (soft === undefined || hard === undefined) continue
    if (hard !== -1 && (soft === -1 || soft > hard))
      ctx.problems.add(at, `soft limit ${soft} is above the hard limit ${hard}`)
    else out[name] = { soft, hard }
  }
  return out
}

function readLogging(value: unknown, path: YamlPath, ctx: FieldContext): HostSettings['logging'] {
  const logging = readMapping(value, path, ctx, ['driver', 'options'])
  const driver = logging.driver === undefined ? undefined : readString(logging.driver, [...path, 'driver'], ctx)
  const options =
    logging.options === undefined || logging.options === null
      ? {}
      : readKeyValues(logging.options, [...path, 'options'], ctx, 'empty')
  return { ...(driver !== undefined && { driver }), options }
}

/** `HOST[:CONTAINER[:PERMISSIONS]]`, or `{source, target, permissions}`. */
function readDevices(value: unknown, path: YamlPath, ctx: FieldContext): DeviceSpec[] {
  return readList(value, path, ctx).flatMap((item, i): DeviceSpec[] => {
    const at = [...path, i]
    if (isMapping(item)) {
      const long = readMapping(item, at, ctx, ['source', 'target', 'permissions'])
      const source = readString(long.source, [...at, 'source'], ctx)
      const target = long.target === undefined ? source : readString(long.target, [...at, 'target'], ctx)
      const permissions =
        long.permissions === undefined ? 'rwm' : readString(long.permissions, [...at, 'permissions'], ctx)
      return source && target && permissions ? [{ source, target, permissions }] : []
    }
    if (!isScalar(item) || typeof item !== 'string') {
      ctx.problems.add(at, `expected "HOST[:CONTAINER[:PERMISSIONS]]" or a mapping, got ${describe(item)}`)
      return []
    }
    const [source, target, permissions = 'rwm', ...rest] = item.split(':')
    if (!source || rest.length > 0 || !/^[rwm]+$/.test(permissions)) {
      ctx.problems.add(at, `expected "HOST[:CONTAINER[:PERMISSIONS]]" (permissions of r, w, m), got ${describe(item)}`)
      return []
    }
    return [{ source, target: target || source, permissions }]
  })
}

const BLKIO_RATES = {
  device_read_bps: 'deviceReadBps',
  device_write_bps: 'deviceWriteBps',
  device_read_iops: 'deviceReadIops',
  device_write_iops: 'deviceWriteIops',
} as const

/** `weight`, `weight_device` and the per-device rates (bytes per second as a byte size, operations per second as a number). */
function readBlkio(value: unknown, path: YamlPath, ctx: FieldContext): BlkioSettings {
  const b = readMapping(value, path, ctx, ['weight', ...Object.keys(BLKIO_RATES), 'weight_device'])
  // 0 is the engine's default weight, as Compose v2 leaves it: nothing is asked.
  const weight = b.weight == null || b.weight === 0 ? undefined : integer(10, 1000)(b.weight, [...path, 'weight'], ctx)
  const perDevice = (key: string, field: 'weight' | 'rate', read: FieldReader): DeviceRate[] =>
    b[key] == null
      ? []
      : readList(b[key], [...path, key], ctx).flatMap((item, i) => {
          const at = [...path, key, i]
          const entry = readMapping(item, at, ctx, ['path', field])
          const device = readString(entry.path, [...at, 'path'], ctx)
          const amount = read(entry[field], [...at, field], ctx) as number | undefined
          return device !== undefined && amount !== undefined ? [{ path: device, amount }] : []
        })
  const out: Record<string, unknown> = { weightDevice: perDevice('weight_device', 'weight', integer(10, 1000)) }
  if (weight !== undefined) out.weight = weight
  for (const [key, field] of Object.entries(BLKIO_RATES))
    out[field] = perDevice(key, 'rate', key.endsWith('bps') ? readBytes : integer(0))
  return out as unknown as BlkioSettings
}

/** `all`, or a list of `{driver, count, device_ids, capabilities, options}` (count `all` is -1). */
function readGpus(value: unknown, path: YamlPath, ctx: FieldContext): GpuRequest[] {
  if (value === 'all') return [{ count: -1 }]
  if (!Array.isArray(value)) {
    ctx.problems.add(path, `expected "all" or a list of device requests, got ${describe(value)}`)
    return []
  }
  return readDeviceRequests(value, path, ctx)
}
