import { describe, expect, it } from 'vitest'
import { statsRow } from '../../../harness/cli/commands/stats.js'
import { statsOf } from '../../../harness/runtime/container/container-stats.js'

const sample = {
  cpu_stats: { cpu_usage: { total_usage: 400_000_000 }, system_cpu_usage: 20_000_000_000, online_cpus: 2 },
  precpu_stats: { cpu_usage: { total_usage: 200_000_000 }, system_cpu_usage: 18_000_000_000 },
  memory_stats: { usage: 12_000_000, limit: 24 * 1024 ** 3, stats: { inactive_file: 2_000_000 } },
  networks: { eth0: { rx_bytes: 1500, tx_bytes: 0 }, eth1: { rx_bytes: 500, tx_bytes: 250 } },
  blkio_stats: {
    io_service_bytes_recursive: [
      { op: 'read', value: 4096 },
      { op: 'write', value: 1_000_000 },
      { op: 'Read', value: 4096 },
    ],
  },
  pids_stats: { current: 3 },
}

describe('stats, as docker stats computes and writes them', () => {
  it('computes CPU % over the two samples, memory without the page cache, and sums networks and disk', () => {
    const s = statsOf('0123456789abcdef', 'p-web-1', sample)
    expect(s.cpuPercent).toBeCloseTo(20)
    expect(s.memoryUsage).toBe(10_000_000)
    expect([s.netRx, s.netTx, s.blockRead, s.blockWrite, s.pids]).toEqual([2000, 250, 8192, 1_000_000, 3])
  })

  it('writes them in the docker CLI’s words', () => {
    expect(statsRow(statsOf('0123456789abcdef', 'p-web-1', sample), false)).toEqual({
      BlockIO: '8.19kB / 1MB',
      CPUPerc: '20.00%',
      Container: '0123456789ab',
      ID: '0123456789ab',
      MemPerc: '0.04%',
      MemUsage: '9.537MiB / 24GiB',
      Name: 'p-web-1',
      NetIO: '2kB / 250B',
      PIDs: '3',
    })
  })

  it('gives a stopped container 0 everywhere', () => {
    expect(statsRow(statsOf('0123456789abcdef', 'p-db-1', {}), true)).toMatchObject({
      CPUPerc: '0.00%',
      MemUsage: '0B / 0B',
      NetIO: '0B / 0B',
      BlockIO: '0B / 0B',
      PIDs: '0',
      ID: '0123456789abcdef',
    })
  })
})
