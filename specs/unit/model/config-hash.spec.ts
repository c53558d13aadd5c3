import { describe, expect, it } from 'vitest'
import { configHash, networkHash, volumeHash } from '../../../harness/model/pipeline/config-hash.js'
import { goJson } from '../../../harness/model/pipeline/go-json.js'
import { SERVICE_SHAPE } from '../../../harness/model/pipeline/go-shapes.js'
import { loadInline } from '../support/load-inline.js'

const web = (extra: string, image = 'w') =>
  loadInline(`services:\n  web:\n    image: ${image}\n${extra}  db:\n    image: d\n`).project.services.web!

describe('configHash', () => {
  it('is the same for the same configuration, whatever the key order', () => {
    expect(configHash(web('    environment: {A: "1", B: "2"}\n'))).toBe(
      configHash(web('    environment: {B: "2", A: "1"}\n')),
    )
  })

  it('changes when what the container runs with changes', () => {
    expect(configHash(web('    environment: {A: "1"}\n'))).not.toBe(configHash(web('    environment: {A: "2"}\n')))
    expect(configHash(web('    command: a b\n'))).not.toBe(configHash(web('    command: [a, c]\n')))
  })

  it('is the same for a command written as a string or as the list of its words, as in Compose v2', () => {
    expect(configHash(web('    command: a "b c"\n'))).toBe(configHash(web('    command: [a, b c]\n')))
  })

  it('ignores how the image is built and when the service starts', () => {
    expect(configHash(web('    build: ./other\n    depends_on: [db]\n'))).toBe(configHash(web('')))
  })

  it("is Compose 2.40's own: a service with only an image hashes as v2 labels it", () => {
    // `docker compose config --hash '*'` (2.40.3) of `services: {web: {image: x}}`.
    expect(configHash(web('', 'x'))).toBe('d5457d0b2799957b606d2ac4ed52d85a1e75799490e56229948300b9a59e8953')
  })

  it("is Compose 2.40's own for a ulimit of 0, which Go writes as its empty pair", () => {
    // `docker compose config --hash '*'` (2.40.3) of `services: {web: {image: x, ulimits: {core: 0, nproc: 5}}}`.
    expect(configHash(web('    ulimits: {core: 0, nproc: 5}\n', 'x'))).toBe(
      '986c869c962ac0cf57ca296eda3409dd67d71f960bd2161f003a8e7057ec72dd',
    )
  })

  it('hashes the env files as written for config --hash, and what they give for up', () => {
    const service = loadInline('services:\n  web:\n    image: w\n    env_file: a.env\n    environment: [B=2, NOPE]\n', {
      files: { '/project/a.env': 'A=1\n' },
    }).project.services.web!
    expect(configHash(service, { environment: 'as-written' })).not.toBe(configHash(service))
    expect(service.ownEnvironment).toEqual({ B: '2' })
    expect(service.envFiles).toEqual([{ path: '/project/a.env', required: true }])
  })
})

describe('networkHash and volumeHash', () => {
  it("are Compose 2.40's own: the labels it put on this project's network and volume", () => {
    const { project } = loadInline(
      [
        'services:',
        '  a:',
        '    image: compose-harness-probe',
        '    volumes: [data:/data]',
        '    networks: [default, back]',
        'networks:',
        '  back:',
        '    driver_opts: {com.docker.network.bridge.name: hbr0}',
        '    labels: {x: "1"}',
        '    ipam:',
        '      config:',
        '        - subnet: 172.30.5.0/24',
        'volumes:',
        '  data:',
        '    labels: {y: "2"}',
        '',
      ].join('\n'),
      { projectName: 'h3' },
    )
    // `docker compose -p h3 up -d` (2.40.3), then each one's com.docker.compose.config-hash label.
    expect(networkHash(project.networks.default!)).toBe(
      'c3ae40096fc3bf10a4eebb1d0ae24c3cb29ebac92b0f059c974adde6460e5b46',
    )
    expect(networkHash(project.networks.back!)).toBe('32ca80701ecdc98252844b3642a1c5532efd6d2c6ddcefdf23b4909f2f598710')
    expect(volumeHash(project.volumes.data!)).toBe('770cd452c6a47ac0f269b53498222b9d80355f0dc94b40a2277d0dfe27ebe0b5')
  })
})

describe('goJson', () => {
  const json = (service: Record<string, unknown>) => goJson(service, SERVICE_SHAPE)

  it('writes fields in Go order, command and entrypoint always, empty values left out', () => {
    expect(json({ image: 'x', environment: {}, cap_add: [], command: undefined, privileged: false })).toBe(
      '{"command":null,"entrypoint":null,"image":"x"}',
    )
  })

  it('keeps a pointer that is set, even false or empty, and a struct value always', () => {
    expect(json({ init: false, networks: { b: {}, a: null }, deploy: { mode: 'replicated' } })).toBe(
      '{"command":null,"deploy":{"mode":"replicated","resources":{},"placement":{}},"entrypoint":null,"init":false,"networks":{"a":null,"b":{}}}',
    )
  })

  it('escapes <, > and & as Go does, and writes a float32 in its shortest form', () => {
    expect(json({ labels: { q: 'a<b&c>' }, cpus: 0.1, cpu_percent: 1 / 3 })).toBe(
      '{"cpu_percent":0.33333334,"cpus":0.1,"command":null,"entrypoint":null,"labels":{"q":"a\\u003cb\\u0026c\\u003e"}}',
    )
  })

  it('writes a ulimit of one number as that number, and soft before hard', () => {
    expect(json({ ulimits: { nproc: 10, nofile: { hard: 2, soft: 1 } } })).toBe(
      '{"command":null,"entrypoint":null,"ulimits":{"nofile":{"soft":1,"hard":2},"nproc":10}}',
    )
  })

  it("writes blkio's device fields capitalised, as compose-go's untagged fields", () => {
    expect(json({ blkio_config: { weight_device: [{ path: '/dev/sda', weight: 400 }] } })).toBe(
      '{"blkio_config":{"weight_device":[{"Path":"/dev/sda","Weight":400}]},"command":null,"entrypoint":null}',
    )
  })
})
