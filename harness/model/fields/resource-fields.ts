import { describe } from '../document/describe.js'
import {
  readInteger,
  readKeyValues,
  readList,
  readMapping,
  readString,
  readStringList,
  type FieldContext,
} from './readers.js'
import { isMapping } from '../document/values.js'
import type { GpuRequest, ResourceLimits } from '../project/types.js'
import type { YamlPath } from '../document/where.js'

const UNIT_POWERS: Readonly<Record<string, number>> = { '': 0, k: 1, m: 2, g: 3, t: 4, p: 5 }

/**
 * A byte amount as Compose reads it: a whole number of bytes, or a string such as `512m`, `1.5g`,
 * `64MiB` or `100 kb` (units are powers of 1024, as Docker takes them); undefined when it is not one.
 */
export function parseBytes(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? value : undefined
  if (typeof value !== 'string') return undefined
  const m = /^(\d+(?:\.\d+)?) ?([kmgtp]?)i?b?$/i.exec(value.trim())
  return m ? Math.round(Number(m[1]) * 1024 ** UNIT_POWERS[m[2]!.toLowerCase()]!) : undefined
}

/**
 * The service's resource limits, from the short keys (`mem_limit`, `memswap_limit`,
 * `mem_reservation`, `cpus`, `pids_limit`) and from `deploy.resources`. Compose v2 applies both
 * spellings; when a file sets both for one limit they must agree, as with `scale` and `deploy.replicas`.
 */
export function readResources(raw: Record<string, unknown>, path: YamlPath, ctx: FieldContext): ResourceLimits {
  const at = (...keys: string[]): YamlPath => [...path, ...keys]
  const resources =
    isMapping(raw.deploy) && raw.deploy.resources !== undefined
      ? readMapping(raw.deploy.resources, at('deploy', 'resources'), ctx, ['limits', 'reservations'])
      : {}
  const limits =
    resources.limits === undefined
      ? {}
      : readMapping(resources.limits, at('deploy', 'resources', 'limits'), ctx, ['cpus', 'memory', 'pids'])
  const reservations =
    resources.reservations === undefined
      ? {}
      : readMapping(resources.reservations, at('deploy', 'resources', 'reservations'), ctx, [
          'cpus',
          'memory',
          'generic_resources',
          'devices',
        ])
  // As in Compose v2: once a file writes a `limits` (or `reservations`) block, every short key it
  // also sets must have its same value there; a value the block leaves out counts as different.
  const either = <T>(
    reader: Reader<T>,
    short: string,
    block: 'limits' | 'reservations',
    key: string,
  ): T | undefined => {
    const longValue = (block === 'limits' ? limits : reservations)[key]
    const long = ['deploy', 'resources', block, key]
    const a = raw[short] === undefined ? undefined : set(reader(raw[short], at(short), ctx))
    const b = longValue === undefined ? undefined : set(reader(longValue, at(...long), ctx))
    if (a !== undefined && resources[block] !== undefined && a !== b) {
      const other =
        longValue === undefined
          ? `deploy.resources.${block} does not set ${key}`
          : `${long.join('.')} is ${JSON.stringify(longValue)}`
      ctx.problems.add(
        at(short),
        `is ${JSON.stringify(raw[short])} but ${other}: set one spelling, or the same value in both`,
      )
    }
    return a ?? b
  }
  const read = {
    memoryBytes: either(readBytes, 'mem_limit', 'limits', 'memory'),
    memorySwapBytes:
      raw.memswap_limit === undefined || raw.memswap_limit === 0 || raw.memswap_limit === '0'
        ? undefined
        : readSwap(raw.memswap_limit, at('memswap_limit'), ctx),
    memoryReservationBytes: either(readBytes, 'mem_reservation', 'reservations', 'memory'),
    nanoCpus: either(readNanoCpus, 'cpus', 'limits', 'cpus'),
    pidsLimit: either(readPids, 'pids_limit', 'limits', 'pids'),
    devices:
      reservations.devices == null
        ? undefined
        : readDeviceRequests(reservations.devices, at('deploy', 'resources', 'reservations', 'devices'), ctx),
  }
  return Object.fromEntries(Object.entries(read).filter(([, v]) => v !== undefined))
}

type Reader<T> = (value: unknown, path: YamlPath, ctx: FieldContext) => T | undefined

/** A limit as set: 0 is no limit, as unset (Compose v2 leaves it out before it compares the two spellings of one). */
const set = <T>(value: T | undefined): T | undefined => (value === 0 ? undefined : value)

function readBytes(value: unknown, path: YamlPath, ctx: FieldContext): number | undefined {
  const bytes = parseBytes(value)
  if (bytes === undefined)
    ctx.problems.add(path, `expected a byte amount such as "512m", "1g" or a number of bytes, got ${describe(value)}`)
  return bytes
}

/** `memswap_limit`: memory plus swap, or -1 for unlimited swap. */
function readSwap(value: unknown, path: YamlPath, ctx: FieldContext): number | undefined {
  return value === -1 || value === '-1' ? -1 : readBytes(value, path, ctx)
}

/** `cpus: 0.5` or `"1.5"`: a share of CPUs, in the billionths the engine takes; 0 is no limit, as in Compose v2. */
function readNanoCpus(value: unknown, path: YamlPath, ctx: FieldContext): number | undefined {
  const cpus =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim())
        ? Number(value)
        : undefined
  if (cpus === 0) return undefined
  if (cpus !== undefined && cpus > 0) return Math.round(cpus * 1e9)
  ctx.problems.add(path, `expected a number of CPUs (0 for no limit), such as 0.5 or "1.5", got ${describe(value)}`)
  return undefined
}

/** `pids_limit`: a maximum number of processes; 0 (left out, as Compose v2 prints it) or a negative number for no limit. */
function readPids(value: unknown, path: YamlPath, ctx: FieldContext): number | undefined {
  const pids = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value
  if (typeof pids === 'number' && Number.isInteger(pids)) return pids === 0 ? undefined : pids
  ctx.problems.add(path, `expected a whole number of processes (0 or -1 for no limit), got ${describe(value)}`)
  return undefined
}

/** Requests for devices, as `gpus` and `deploy.resources.reservations.devices` write them. */
export function readDeviceRequests(value: unknown, path: YamlPath, ctx: FieldContext): GpuRequest[] {
  return readList(value, path, ctx).map((item, i) => {
    const at = [...path, i]
    const g = readMapping(item, at, ctx, ['driver', 'count', 'device_ids', 'capabilities', 'options'])
    const count = g.count === 'all' ? -1 : g.count == null ? undefined : readInteger(g.count, [...at, 'count'], ctx, -1)
    const request = {
      driver: g.driver == null ? undefined : readString(g.driver, [...at, 'driver'], ctx),
      count,
      deviceIds: g.device_ids == null ? undefined : readStringList(g.device_ids, [...at, 'device_ids'], ctx),
      capabilities: g.capabilities == null ? undefined : readStringList(g.capabilities, [...at, 'capabilities'], ctx),
      options: g.options == null ? undefined : readKeyValues(g.options, [...at, 'options'], ctx, 'empty'),
    }
    if (request.count !== undefined && request.deviceIds !== undefined)
      ctx.problems.add(at, 'sets both count and device_ids: a request names its devices or counts them')
    return Object.fromEntries(Object.entries(request).filter(([, v]) => v !== undefined))
  })
}
