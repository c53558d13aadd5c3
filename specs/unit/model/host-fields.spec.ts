import { describe, expect, it } from 'vitest'
import { containerSpec } from '../../../harness/runtime/create/container-spec.js'
import { loadInline } from '../support/load-inline.js'

const serviceOf = (yaml: string, env: Record<string, string> = {}) => loadInline(yaml, { env }).project.services.app!

describe('host settings (cap_add, sysctls, ulimits, …)', () => {
  it('reads every form into the engine’s units: byte sizes, one number for both limits, short and long devices', () => {
    const { host } = serviceOf(
      `services:
  app:
    image: x
    shm_size: 64m
    ulimits: {nproc: 4096, nofile: {soft: 1024, hard: 2048}}
    sysctls: ["net.core.somaxconn=1024"]
    devices: ["/dev/fuse", "/dev/null:/dev/xnull:r", {source: /dev/zero, target: /dev/xzero}]
    dns: 10.0.0.53
    logging: {driver: json-file, options: {max-file: 3}}
    privileged: \${PRIVILEGED}
`,
      { PRIVILEGED: 'True' },
    )
    expect(host).toEqual({
      privileged: true,
      shmSizeBytes: 64 * 1024 ** 2,
      ulimits: { nproc: { soft: 4096, hard: 4096 }, nofile: { soft: 1024, hard: 2048 } },
      sysctls: { 'net.core.somaxconn': '1024' },
      devices: [
        { source: '/dev/fuse', target: '/dev/fuse', permissions: 'rwm' },
        { source: '/dev/null', target: '/dev/xnull', permissions: 'r' },
        { source: '/dev/zero', target: '/dev/xzero', permissions: 'rwm' },
      ],
      dns: ['10.0.0.53'],
      logging: { driver: 'json-file', options: { 'max-file': '3' } },
    })
  })

  it('hands them to the engine as Compose v2 does, leaving out what the file does not set', () => {
    const service = serviceOf(`services:
  app:
    image: x
    cap_add: [NET_ADMIN]
    read_only: true
    tty: true
    ulimits: {nofile: {soft: 1024, hard: 2048}, core: 0}
    devices: ["/dev/null:/dev/xnull:r"]
    logging: {driver: none}
    domainname: example.internal
`)
    const { create, host } = containerSpec({
      project: loadInline('services: {app: {image: x}}').project,
      service,
      name: 'p-app-1',
      number: 1,
      labels: {},
      containersOf: () => [],
      publishAddress: '127.0.0.1',
    })
    expect(create).toMatchObject({ Tty: true, Domainname: 'example.internal' })
    expect(create).not.toHaveProperty('OpenStdin')
    expect(host).toMatchObject({
      CapAdd: ['CAP_NET_ADMIN'],
      ReadonlyRootfs: true,
      Ulimits: [
        { Name: 'core', Soft: 0, Hard: 0 },
        { Name: 'nofile', Soft: 1024, Hard: 2048 },
      ],
      Devices: [{ PathOnHost: '/dev/null', PathInContainer: '/dev/xnull', CgroupPermissions: 'r' }],
      LogConfig: { Type: 'none', Config: {} },
    })
    for (const unset of ['Privileged', 'CapDrop', 'Sysctls', 'ShmSize', 'IpcMode', 'CpuShares'])
      expect(host, unset).not.toHaveProperty(unset)
  })

  it('refuses a soft limit above its hard one', () => {
    expect(() =>
      serviceOf('services:\n  app:\n    image: x\n    ulimits: {nofile: {soft: 4096, hard: 1024}}\n'),
    ).toThrow(/services\.app\.ulimits\.nofile: soft limit 4096 is above the hard limit 1024/)
  })
})

describe('network_mode and volumes_from at up', () => {
  const project = loadInline(`services:
  base: {image: x}
  side: {image: x, network_mode: "service:base", volumes_from: ["base:ro", "container:other:rw"]}
  none: {image: x, network_mode: none}
`).project
  const spec = (name: string) =>
    containerSpec({
      project,
      service: project.services[name]!,
      name: `p-${name}-1`,
      number: 1,
      labels: {},
      containersOf: (s) => [`p-${s}-1`, `p-${s}-2`],
      publishAddress: '127.0.0.1',
    })

  it('joins the first container of the service named, or the mode as written, and no network of the project', () => {
    expect(spec('side')).toMatchObject({ networkMode: 'container:p-base-1', networks: [] })
    expect(spec('none')).toMatchObject({ networkMode: 'none', networks: [] })
    expect(spec('base').networkMode).toBeUndefined()
  })

  it("mounts the volumes of a service's first container, or of a container by name, with the mode given", () => {
    expect(spec('side').host.VolumesFrom).toEqual(['p-base-1:ro', 'other:rw'])
    expect(spec('base').host).not.toHaveProperty('VolumesFrom')
  })
})
