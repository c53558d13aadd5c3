import { describe, expect, it } from 'vitest'
import { parseBytes } from '../../../../harness/model/fields/resource-fields.js'
import { serviceDocument } from '../../../../harness/model/pipeline/to-compose.js'
import { webProblems, webService } from '../../support/load-inline.js'

describe('byte amounts', () => {
  it('reads bytes, and units as powers of 1024 with or without i and b, in either case', () => {
    expect([2048, '2048', '512m', '512M', '1g', '1.5g', '64MiB', '100 kb', '1t'].map(parseBytes)).toEqual([
      2048,
      2048,
      512 * 2 ** 20,
      512 * 2 ** 20,
      2 ** 30,
      1.5 * 2 ** 30,
      64 * 2 ** 20,
      100 * 1024,
      2 ** 40,
    ])
  })

  it('refuses what is not a byte amount', () => {
    expect(['', 'm', '-1m', '12x', '1.5.2g', 1.5, -3, true, null].map(parseBytes)).toEqual(Array(9).fill(undefined))
  })
})

describe('resource limits', () => {
  it("reads the short keys into the engine's units", () => {
    expect(
      webService('mem_limit: 64m\nmemswap_limit: 128m\nmem_reservation: 32m\ncpus: 0.5\npids_limit: 100').resources,
    ).toEqual({
      memoryBytes: 64 * 2 ** 20,
      memorySwapBytes: 128 * 2 ** 20,
      memoryReservationBytes: 32 * 2 ** 20,
      nanoCpus: 500_000_000,
      pidsLimit: 100,
    })
  })

  it('reads the same limits from deploy.resources', () => {
    expect(
      webService(
        'deploy:\n  resources:\n    limits: {memory: 1g, cpus: "1.5", pids: 50}\n    reservations: {memory: 256m}',
      ).resources,
    ).toEqual({
      memoryBytes: 2 ** 30,
      memoryReservationBytes: 256 * 2 ** 20,
      nanoCpus: 1_500_000_000,
      pidsLimit: 50,
    })
  })

  it('takes -1 as unlimited swap and unlimited processes, and sets nothing when no limit is written', () => {
    expect(webService('memswap_limit: -1\npids_limit: -1').resources).toEqual({ memorySwapBytes: -1, pidsLimit: -1 })
    expect(webService('image: web').resources).toEqual({})
  })

  it('accepts both spellings when they agree, and names both when they do not', () => {
    expect(webService('mem_limit: 1g\ndeploy: {resources: {limits: {memory: 1024m}}}').resources).toEqual({
      memoryBytes: 2 ** 30,
    })
    expect(webProblems('cpus: 0.5\ndeploy: {resources: {limits: {cpus: "1"}}}')).toEqual([
      'compose.yml:4:5 services.web.cpus: is 0.5 but deploy.resources.limits.cpus is "1": set one spelling, or the same value in both',
    ])
  })

  it('takes 0 CPUs, 0 processes and a blkio weight of 0 as no limit, as Compose v2 does, and leaves them out of the model it prints', () => {
    const service = webService(
      'cpus: 0\npids_limit: 0\ncpu_count: 0\nmem_limit: "0"\nblkio_config: {weight: 0}\ndeploy: {resources: {limits: {cpus: 0, pids: 0}}}',
    )
    expect(service.resources).toEqual({})
    const printed = serviceDocument(service)
    expect(Object.keys(printed).filter((k) => ['cpus', 'pids_limit', 'cpu_count', 'mem_limit'].includes(k))).toEqual([])
    expect(printed).toMatchObject({ blkio_config: {}, deploy: { resources: { limits: {} } } })
    expect(webService('pids_limit: -2').resources).toEqual({ pidsLimit: -2 })
  })

  it('reports each malformed limit at its key', () => {
    expect(
      webProblems(
        'mem_limit: lots\ncpus: -1\npids_limit: many\ndeploy: {resources: {limits: {memory: [1]}, spare: {}}}',
      ),
    ).toEqual([
      'compose.yml:4:5 services.web.mem_limit: expected a byte amount such as "512m", "1g" or a number of bytes, got a string ("lots")',
      'compose.yml:5:5 services.web.cpus: expected a number of CPUs (0 for no limit), such as 0.5 or "1.5", got a number (-1)',
      'compose.yml:6:5 services.web.pids_limit: expected a whole number of processes (0 or -1 for no limit), got a string ("many")',
      'compose.yml:7:35 services.web.deploy.resources.limits.memory: expected a byte amount such as "512m", "1g" or a number of bytes, got a list',
      'compose.yml:7:49 services.web.deploy.resources.spare: unknown key (expected one of limits, reservations)',
    ])
  })
})
