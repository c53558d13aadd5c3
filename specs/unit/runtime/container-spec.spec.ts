import { describe, expect, it } from 'vitest'
import { containerSpec } from '../../../harness/runtime/create/container-spec.js'
import { loadInline } from '../support/load-inline.js'

const spec = (yaml: string, publishAddress = '127.0.0.1') => {
  const { project } = loadInline(yaml, { env: { HOME: '/home/me' } })
  return containerSpec({
    project,
    service: project.services.web!,
    name: 'p-web-1',
    number: 1,
    labels: { l: '1' },
    containersOf: (s) => [`p-${s}-1`, `p-${s}-2`],
    publishAddress,
  })
}

describe('containerSpec', () => {
  it('binds published ports to 127.0.0.1 unless the file names an address, and declares them and the exposed ones as written', () => {
    const { create, host } = spec(
      'services:\n  web:\n    image: w\n    ports: ["8080:80", "0.0.0.0:9000:9000/udp", "81"]\n    expose: [2000]\n',
    )
    expect(host.PortBindings).toEqual({
      '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8080' }],
      '9000/udp': [{ HostIp: '0.0.0.0', HostPort: '9000' }],
      '81/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }],
    })
    expect(Object.keys(create.ExposedPorts!)).toEqual(['2000', '80/tcp', '9000/udp', '81/tcp'])
  })

  it('binds a port the file gives no address to the publish address chosen for the engine', () => {
    const { host } = spec('services:\n  web:\n    image: w\n    ports: ["8080:80", "127.0.0.2:81:81"]\n', '0.0.0.0')
    expect(host.PortBindings).toEqual({
      '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '8080' }],
      '81/tcp': [{ HostIp: '127.0.0.2', HostPort: '81' }],
    })
  })

  it('asks for mounts as Compose 2.40 does: binds and named volumes as Binds unless an option needs Mounts; anonymous volumes and tmpfs as Mounts; the tmpfs key as Tmpfs', () => {
    const { host } = spec(
      'services:\n  web:\n    image: w\n    volumes: ["data:/d:ro", "./src:/src:z", "/anon", {type: tmpfs, target: /t}, {type: bind, source: ./long, target: /l}, {type: bind, source: ./kept, target: /k, bind: {selinux: z}}, {type: bind, source: ./made, target: /m, bind: {create_host_path: true}}, "./shared:/s:rshared", "data:/n:nocopy", {type: volume, source: data, target: /sub, volume: {subpath: x}}]\n    tmpfs: ["/run:size=1m"]\nvolumes:\n  data: {}\n',
    )
    expect(host.Binds).toEqual([
      'project_data:/d:ro',
      '/project/src:/src:rw,z',
      '/project/long:/l:rw',
      '/project/made:/m:rw',
    ])
    expect(host.Mounts).toEqual([
      { Type: 'volume', Source: '', Target: '/anon', ReadOnly: false },
      { Type: 'tmpfs', Source: '', Target: '/t', ReadOnly: false },
      { Type: 'bind', Source: '/project/kept', Target: '/k', ReadOnly: false },
      {
        Type: 'bind',
        Source: '/project/shared',
        Target: '/s',
        ReadOnly: false,
        BindOptions: { Propagation: 'rshared', CreateMountpoint: true },
      },
      { Type: 'volume', Source: 'project_data', Target: '/n', ReadOnly: false, VolumeOptions: { NoCopy: true } },
      { Type: 'volume', Source: 'project_data', Target: '/sub', ReadOnly: false, VolumeOptions: { Subpath: 'x' } },
    ])
    expect(host.Tmpfs).toEqual({ '/run': 'size=1m' })
  })

  it("asks for a tmpfs's size and mode, a bind's recursive setting and a volume mount's labels through Mounts, as Compose 2.40 does", () => {
    const { host } = spec(
      'services:\n  web:\n    image: w\n    volumes: [{type: tmpfs, target: /t, tmpfs: {size: 1m, mode: 0o1770}}, {type: tmpfs, target: /e, tmpfs: {}}, {type: bind, source: ./a, target: /a, bind: {recursive: disabled, create_host_path: true}}, {type: bind, source: ./b, target: /b, read_only: true, bind: {recursive: readonly}}, {type: bind, source: ./c, target: /c, read_only: true, bind: {recursive: writable}}, {type: bind, source: ./d, target: /d, bind: {recursive: enabled}}, {type: volume, source: data, target: /v, volume: {labels: [k=v]}}, {type: volume, source: data, target: /w, volume: {labels: {}}}]\nvolumes:\n  data: {}\n',
    )
    expect(host.Binds).toEqual(['project_data:/w:rw'])
    expect(host.Mounts).toEqual([
      { Type: 'tmpfs', Source: '', Target: '/t', ReadOnly: false, TmpfsOptions: { SizeBytes: 1048576, Mode: 0o1770 } },
      { Type: 'tmpfs', Source: '', Target: '/e', ReadOnly: false, TmpfsOptions: {} },
      {
        Type: 'bind',
        Source: '/project/a',
        Target: '/a',
        ReadOnly: false,
        BindOptions: { NonRecursive: true, CreateMountpoint: true },
      },
      {
        Type: 'bind',
        Source: '/project/b',
        Target: '/b',
        ReadOnly: true,
        BindOptions: { ReadOnlyForceRecursive: true },
      },
      { Type: 'bind', Source: '/project/c', Target: '/c', ReadOnly: true, BindOptions: { ReadOnlyNonRecursive: true } },
      { Type: 'bind', Source: '/project/d', Target: '/d', ReadOnly: false, BindOptions: {} },
      { Type: 'volume', Source: 'project_data', Target: '/v', ReadOnly: false, VolumeOptions: { Labels: { k: 'v' } } },
    ])
  })

  it('asks for an image mount with its subpath, as the Mounts API has it', () => {
    const { host } = spec(
      'services:\n  web:\n    image: w\n    volumes: [{type: image, source: tools, target: /t, read_only: true, image: {subpath: bin}}]\n',
    )
    expect(host.Mounts).toEqual([
      { Type: 'image', Source: 'tools', Target: '/t', ReadOnly: true, ImageOptions: { Subpath: 'bin' } },
    ])
  })

  it("asks for capabilities as Docker's client does: upper case, CAP_ before each but ALL, each once, sorted", () => {
    const { host } = spec(
      'services:\n  web:\n    image: w\n    cap_add: [net_admin, CAP_SYS_TIME, NET_ADMIN, ALL]\n    cap_drop: [MKNOD]\n',
    )
    expect(host.CapAdd).toEqual(['ALL', 'CAP_NET_ADMIN', 'CAP_SYS_TIME'])
    expect(host.CapDrop).toEqual(['CAP_MKNOD'])
  })

  it("turns healthcheck durations into nanoseconds and restart policies into the engine's form", () => {
    const { create, host } = spec(
      'services:\n  web:\n    image: w\n    healthcheck: {test: "true", interval: 1s, retries: 3}\n    restart: on-failure:4\n',
    )
    expect(create.Healthcheck).toEqual({
      Test: ['CMD-SHELL', 'true'],
      Interval: 1e9,
      Timeout: 0,
      Retries: 3,
      StartPeriod: 0,
    })
    expect(host.RestartPolicy).toEqual({ Name: 'on-failure', MaximumRetryCount: 4 })
  })

  it('gives a variable named without a value and set nowhere bare, as Compose 2.40 gives it', () => {
    const { create } = spec('services:\n  web:\n    image: w\n    environment: [A=1, NOWHERE_SET]\n')
    expect(create.Env).toEqual(['A=1', 'NOWHERE_SET'])
  })

  it('gives a start interval in nanoseconds with its start period, and none where the file has none', () => {
    const { create } = spec(
      'services:\n  web:\n    image: w\n    healthcheck: {test: "true", interval: 1h, start_period: 1m, start_interval: 250ms}\n',
    )
    expect(create.Healthcheck).toMatchObject({ Interval: 3600e9, StartPeriod: 60e9, StartInterval: 250e6 })
    expect(
      Object.keys(spec('services:\n  web:\n    image: w\n    healthcheck: {test: "true"}\n').create.Healthcheck!),
    ).not.toContain('StartInterval')
  })

  it("sets resource limits in the engine's units, and none the file does not ask for", () => {
    const { host } = spec(
      'services:\n  web:\n    image: w\n    mem_limit: 16m\n    memswap_limit: 16m\n    cpus: 0.25\n    pids_limit: 64\n',
    )
    expect(host).toMatchObject({ Memory: 16 * 2 ** 20, MemorySwap: 16 * 2 ** 20, NanoCpus: 250_000_000, PidsLimit: 64 })
    expect(Object.keys(spec('services:\n  web:\n    image: w\n').host)).not.toContain('Memory')
  })

  it("joins networks by priority then name, with the service and container names, the network's aliases and links to shared networks only", () => {
    const { networks } = spec(`services:
  web:
    image: w
    links: ["db:database", "cache"]
    networks:
      b: {aliases: [site]}
      a: {}
      c: {priority: 10}
  db:
    image: d
    networks: [a]
  cache:
    image: c
    networks: [b]
networks: {a: {}, b: {}, c: {}}
`)
    expect(networks).toEqual([
      { network: 'project_c', aliases: ['web', 'p-web-1'], links: [] },
      // Compose v2's three names a linked container: the alias, then <service>-<n> and <project>-<service>-<n>
      // with n the linking container's own number (web is container 1).
      {
        network: 'project_a',
        aliases: ['web', 'p-web-1'],
        links: [
          'p-db-1:database',
          'p-db-1:db-1',
          'p-db-1:project-db-1',
          'p-db-2:database',
          'p-db-2:db-1',
          'p-db-2:project-db-1',
        ],
      },
      {
        network: 'project_b',
        aliases: ['web', 'p-web-1', 'site'],
        links: [
          'p-cache-1:cache',
          'p-cache-1:cache-1',
          'p-cache-1:project-cache-1',
          'p-cache-2:cache',
          'p-cache-2:cache-1',
          'p-cache-2:project-cache-1',
        ],
      },
    ])
  })

  it('passes command, entrypoint, user, working_dir, stop settings and labels through', () => {
    const { create } = spec(
      'services:\n  web:\n    image: w\n    command: a "b c"\n    entrypoint: [e]\n    user: "1:2"\n    working_dir: /w\n    stop_signal: SIGINT\n    stop_grace_period: 1500ms\n    labels: {own: x}\n',
    )
    expect(create).toMatchObject({
      Cmd: ['a', 'b c'],
      Entrypoint: ['e'],
      User: '1:2',
      WorkingDir: '/w',
      StopSignal: 'SIGINT',
      StopTimeout: 2,
      Labels: { own: 'x', l: '1' },
    })
  })
})
