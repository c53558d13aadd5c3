import type { Engine } from '../engine/engine.js'

/** A container's use of the machine at one moment, as `docker stats` computes it. */
export interface ContainerStats {
  readonly id: string
  readonly name: string
  /** Of one CPU: 150 is one and a half. */
  readonly cpuPercent: number
  /** Bytes, the page cache left out, as the docker CLI counts it. */
  readonly memoryUsage: number
  readonly memoryLimit: number
  readonly memoryPercent: number
  readonly netRx: number
  readonly netTx: number
  readonly blockRead: number
  readonly blockWrite: number
  readonly pids: number
}

/** The engine's `GET /containers/{id}/stats?stream=false` answer: the fields `docker stats` reads. */
export interface EngineStats {
  readonly cpu_stats?: CpuStats
  readonly precpu_stats?: CpuStats
  readonly memory_stats?: {
    readonly usage?: number
    readonly limit?: number
    readonly stats?: Readonly<Record<string, number>>
  }
  readonly networks?: Readonly<Record<string, { readonly rx_bytes: number; readonly tx_bytes: number }>>
  readonly blkio_stats?: {
    readonly io_service_bytes_recursive?: readonly { readonly op: string; readonly value: number }[] | null
  }
  readonly pids_stats?: { readonly current?: number }
}

interface CpuStats {
  readonly cpu_usage: { readonly total_usage: number; readonly percpu_usage?: readonly number[] }
  readonly system_cpu_usage?: number
  readonly online_cpus?: number
}

/** The figures `docker stats` shows for one answer of the engine (a stopped container's are all 0). */
export function statsOf(id: string, name: string, s: EngineStats): ContainerStats {
  const cpu = s.cpu_stats
  const pre = s.precpu_stats
  const cpuDelta = (cpu?.cpu_usage.total_usage ?? 0) - (pre?.cpu_usage.total_usage ?? 0)
  const systemDelta = (cpu?.system_cpu_usage ?? 0) - (pre?.system_cpu_usage ?? 0)
  const cpus = cpu?.online_cpus || cpu?.cpu_usage.percpu_usage?.length || 0
  const memory = s.memory_stats ?? {}
  // The page cache is not the container's: cgroup v1 says total_inactive_file, v2 inactive_file.
  const cache = memory.stats?.total_inactive_file ?? memory.stats?.inactive_file ?? 0
  const memoryUsage = Math.max(0, (memory.usage ?? 0) - (cache < (memory.usage ?? 0) ? cache : 0))
  const memoryLimit = memory.limit ?? 0
  const io = s.blkio_stats?.io_service_bytes_recursive ?? []
  const block = (op: string) => io.filter((e) => e.op.toLowerCase() === op).reduce((sum, e) => sum + e.value, 0)
  const networks = Object.values(s.networks ?? {})
  return {
    id,
    name,
    cpuPercent: systemDelta > 0 && cpuDelta > 0 ? (cpuDelta / systemDelta) * cpus * 100 : 0,
    memoryUsage,
    memoryLimit,
    memoryPercent: memoryLimit > 0 ? (memoryUsage / memoryLimit) * 100 : 0,
    netRx: networks.reduce((sum, n) => sum + n.rx_bytes, 0),
    netTx: networks.reduce((sum, n) => sum + n.tx_bytes, 0),
    blockRead: block('read'),
    blockWrite: block('write'),
    pids: s.pids_stats?.current ?? 0,
  }
}

/** One answer of the engine for the container (it samples the CPU twice, a second apart, for it). */
export async function containerStats(engine: Engine, id: string, name: string): Promise<ContainerStats> {
  const raw = (await engine.container.dockerode.getContainer(id).stats({ stream: false })) as EngineStats
  return statsOf(id, name, raw)
}
