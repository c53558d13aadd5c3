import { describe, expect, it } from 'vitest'
import { ignoredDeployKeys, refuseUnapplied } from '../../../harness/runtime/create/applied-keys.js'
import { containerSpec } from '../../../harness/runtime/create/container-spec.js'
import { beyondEngine, ignoredByEveryEngine } from '../../../harness/runtime/create/engine-limits.js'
import { oneOffService } from '../../../harness/runtime/up/one-off.js'
import { pullPolicyOf } from '../../../harness/runtime/images/pull-images.js'
import { pinnedReference, presentSkipsPull } from '../../../harness/runtime/images/image-reference.js'
import { loadInline } from '../support/load-inline.js'

const loaded = loadInline(`services:
  app:
    image: app
    restart: always
    ports: ["8080:80"]
    environment: {A: "1"}
    labels: {team: core}
    ipc: service:db
    pid: service:db
    platform: linux/amd64
    gpus: all
    annotations: {com.example: x}
    blkio_config:
      weight: 300
      device_read_bps: [{path: /dev/sda, rate: 1mb}]
      device_write_iops: [{path: /dev/sda, rate: 20}]
    deploy:
      restart_policy: {condition: on-failure, max_attempts: 2}
      labels: {swarm: only}
      placement: {constraints: [node.role == manager]}
      resources:
        reservations:
          cpus: "0.5"
          devices: [{driver: nvidia, count: 1, capabilities: [gpu]}]
  db:
    image: db
    ipc: shareable
    pull_policy: never
`)
const app = loaded.project.services.app!

function specOf(service = app) {
  return containerSpec({
    project: loaded.project,
    service,
    name: 'project-app-1',
    number: 1,
    labels: {},
    containersOf: (s) => [`project-${s}-1`],
    publishAddress: '127.0.0.1',
  })
}

describe('what up applies of how a container is brought up', () => {
  it('joins namespaces by container, restarts by deploy.restart_policy over restart, and asks for its platform', () => {
    const spec = specOf()
    expect(spec.host.IpcMode).toBe('container:project-db-1')
    expect(spec.host.PidMode).toBe('container:project-db-1')
    expect(spec.host.RestartPolicy).toEqual({ Name: 'on-failure', MaximumRetryCount: 2 })
    expect((spec.create as { platform?: string }).platform).toBe('linux/amd64')
  })

  it('gives the engine device requests (gpus, then deploy reservations), blkio rates and annotations as Compose v2 does', () => {
    const { host } = specOf()
    expect(host.DeviceRequests).toEqual([
      { Driver: '', Count: -1, DeviceIDs: [], Capabilities: [['gpu']], Options: {} },
      { Driver: 'nvidia', Count: 1, DeviceIDs: [], Capabilities: [['gpu']], Options: {} },
    ])
    expect(host).toMatchObject({
      BlkioWeight: 300,
      BlkioDeviceReadBps: [{ Path: '/dev/sda', Rate: 1024 ** 2 }],
      BlkioDeviceWriteIOps: [{ Path: '/dev/sda', Rate: 20 }],
      Annotations: { 'com.example': 'x' },
    })
  })

  it('accepts the file at up, warning of each deploy key that only Swarm applies', () => {
    expect(() => refuseUnapplied(loaded)).not.toThrow()
    expect(ignoredDeployKeys(loaded)).toEqual([
      "services.app.deploy.labels is ignored: it is Swarm's, and Compose ignores it outside Swarm too",
      "services.app.deploy.placement is ignored: it is Swarm's, and Compose ignores it outside Swarm too",
      "services.app.deploy.resources.reservations.cpus is ignored: it is Swarm's, and Compose ignores it outside Swarm too",
    ])
  })

  it('refuses annotations on an engine too old to apply them, and only there', () => {
    expect(beyondEngine(loaded, '1.41').map((p) => `${p.path.join('.')}: ${p.detail}`)).toEqual([
      'services.app.annotations: setting annotations needs engine API 1.43 (Docker 24); this engine speaks 1.41 and would ignore it',
    ])
    expect(beyondEngine(loaded, '1.47')).toEqual([])
  })

  it('refuses named build contexts on an engine older than API 1.42 (Docker 23), whose BuildKit has none', () => {
    const named = loadInline(
      'services:\n  app:\n    build:\n      context: .\n      additional_contexts:\n        base: ../base\n',
    )
    expect(beyondEngine(named, '1.41').map((p) => `${p.path.join('.')}: ${p.detail}`)).toEqual([
      'services.app.build.additional_contexts: a named build context needs engine API 1.42 (Docker 23); this engine speaks 1.41 and has no named contexts in its BuildKit: the build would fail (Compose v2’s fails there too: unsupported frontend capability moby.buildkit.frontend.contexts)',
    ])
    expect(beyondEngine(named, '1.42')).toEqual([])
  })

  it('refuses an image mount on an engine older than API 1.48 (Docker 28), which would not mount it', () => {
    const mounting = loadInline(
      'services:\n  app:\n    image: app\n    volumes:\n      - {type: image, source: tools, target: /t}\n',
    )
    expect(beyondEngine(mounting, '1.47').map((p) => `${p.path.join('.')}: ${p.detail}`)).toEqual([
      'services.app.volumes.0: mounting an image needs engine API 1.48 (Docker 28); this engine speaks 1.47 and would ignore it',
    ])
    expect(beyondEngine(mounting, '1.48')).toEqual([])
  })

  it('refuses a start interval on an engine older than API 1.44 (Docker 25), and one outside a start period on any', () => {
    const checked = loadInline(
      'services:\n  app:\n    image: app\n    healthcheck: {test: "true", start_period: 1m, start_interval: 1s}\n' +
        '  lone:\n    image: app\n    healthcheck: {test: "true", start_interval: 1s}\n',
    )
    const problems = (api: string) => beyondEngine(checked, api).map((p) => `${p.path.join('.')}: ${p.detail}`)
    expect(problems('1.43')).toEqual([
      'services.app.healthcheck.start_interval: a health check’s start interval needs engine API 1.44 (Docker 25); this engine speaks 1.43 and would ignore it',
      'services.lone.healthcheck.start_interval: a health check’s start interval needs engine API 1.44 (Docker 25); this engine speaks 1.43 and would ignore it',
    ])
    expect(problems('1.44')).toEqual([])
    expect(ignoredByEveryEngine(checked).map((p) => [p.path.join('.'), p.at?.line, p.detail])).toEqual([
      [
        'services.lone.healthcheck.start_interval',
        7,
        'a start interval applies only during a start period: set healthcheck.start_period too (Compose v2 refuses it without one)',
      ],
    ])
  })

  it("refuses a bind's recursive read-only settings on an engine older than API 1.44 (Docker 25), which would ignore them, and only those", () => {
    const binds = loadInline(
      'services:\n  app:\n    image: app\n    volumes:\n' +
        '      - {type: bind, source: ./a, target: /a, read_only: true, bind: {recursive: readonly}}\n' +
        '      - {type: bind, source: ./b, target: /b, read_only: true, bind: {recursive: writable}}\n' +
        '      - {type: bind, source: ./c, target: /c, bind: {recursive: disabled}}\n',
    )
    const what =
      'a read-only bind’s submounts made read-only or left writable (`bind.recursive`) needs engine API 1.44 (Docker 25); this engine speaks 1.43 and would ignore it'
    expect(beyondEngine(binds, '1.43').map((p) => `${p.path.join('.')}: ${p.detail}`)).toEqual([
      `services.app.volumes.0.bind.recursive: ${what}`,
      `services.app.volumes.1.bind.recursive: ${what}`,
    ])
    expect(beyondEngine(binds, '1.44')).toEqual([])
  })

  it('takes the pull policy from --pull, then pull_policy, then missing', () => {
    const db = loaded.project.services.db!
    expect(pullPolicyOf(db)).toBe('never')
    expect(pullPolicyOf(db, 'always')).toBe('always')
    expect(pullPolicyOf(app)).toBe('missing')
  })

  it('lets pull skip a present image under missing only for a digest or a tag other than latest, as Compose v2', () => {
    expect(
      [
        'app',
        'app:latest',
        'registry:5000/app',
        'app:1.2',
        'registry:5000/app:1.2',
        'app@sha256:ab',
        'app:1@sha256:ab',
      ].map(presentSkipsPull),
    ).toEqual([false, false, false, true, true, true, true])
  })

  it('refuses what no engine here can do, with the reason: a hook with no command, npipe mounts, models', () => {
    const refused = loadInline(`services:
  app:
    image: app
    post_start: [{user: root}]
    volumes:
      - {type: image, source: alpine, target: /a}
      - {type: npipe, source: x, target: y}
    models: [llm]
    credential_spec: {file: spec.json}
models:
  llm: {model: ai/smollm2}
`)
    expect(() => refuseUnapplied(refused)).toThrow(
      [
        'compose.yml:8:5 services.app.models: needs Docker Model Runner, which compose-harness does not drive',
        'compose.yml:9:5 services.app.credential_spec: is for Windows containers only, which this engine does not run',
        'compose.yml:7:9 services.app.volumes[1]: is a named pipe (type: npipe), which only Windows containers have',
        'compose.yml:4:18 services.app.post_start[0]: has no command to run',
      ].join('\n'),
    )
  })
})

describe('a one-off container of run', () => {
  it('has no restart policy and publishes nothing unless asked; the flags go over the file', () => {
    const once = oneOffService(app, {
      command: ['ls'],
      environment: { B: '2' },
      labels: { run: 'yes' },
      user: 'nobody',
    })
    expect(once.restart).toBeUndefined()
    expect(once.run.deployRestart).toBeUndefined()
    expect(once.ports).toEqual([])
    expect(once.command).toEqual(['ls'])
    expect(once.environment).toEqual({ A: '1', B: '2' })
    expect(once.labels).toEqual({ team: 'core', run: 'yes' })
    expect(once.user).toBe('nobody')
    expect(specOf(once).host.RestartPolicy).toBeUndefined()
    expect(oneOffService(app, { servicePorts: true }).ports).toEqual(app.ports)
  })

  it("adds --cap-add and --cap-drop over the service's, each taking its capabilities out of the other list, as Compose v2 does", () => {
    const { services } = loadInline(`services:
  app:
    image: app
    cap_add: [NET_ADMIN, SYS_TIME]
    cap_drop: [CHOWN, MKNOD]
`).project
    const capabilities = (options: Parameters<typeof oneOffService>[1]) => {
      const { capAdd, capDrop } = oneOffService(services.app!, options).host
      return { capAdd, capDrop }
    }
    expect(capabilities({})).toEqual({ capAdd: ['NET_ADMIN', 'SYS_TIME'], capDrop: ['CHOWN', 'MKNOD'] })
    expect(capabilities({ capAdd: ['CHOWN'], capDrop: ['SYS_TIME'] })).toEqual({
      capAdd: ['NET_ADMIN', 'CHOWN'],
      capDrop: ['MKNOD', 'SYS_TIME'],
    })
    // A list emptied is left out, as v2 leaves it nil.
    expect(capabilities({ capDrop: ['NET_ADMIN', 'SYS_TIME'] })).toEqual({
      capAdd: undefined,
      capDrop: ['CHOWN', 'MKNOD', 'NET_ADMIN', 'SYS_TIME'],
    })
  })

  it('pins an image to a digest as v2 prints it: its tag (latest when none), then the digest; a pinned one loses its tag', () => {
    const digest = `sha256:${'a'.repeat(64)}`
    expect(
      ['127.0.0.1:5000/ch/app:1', 'busybox', 'reg:5000/x', `reg:5000/x:1@sha256:${'b'.repeat(64)}`].map((i) =>
        pinnedReference(i, digest),
      ),
    ).toEqual([
      `127.0.0.1:5000/ch/app:1@${digest}`,
      `busybox:latest@${digest}`,
      `reg:5000/x:latest@${digest}`,
      `reg:5000/x@sha256:${'b'.repeat(64)}`,
    ])
  })
})
