import { describe, expect, it } from 'vitest'
import { ComposeError } from '../../../harness/model/document/compose-error.js'
import { loadRawModel } from '../../../harness/model/pipeline/load.js'
import { goYamlKeyOrder } from '../../../harness/model/pipeline/go-key-order.js'
import { configJson, plainJson } from '../../../harness/model/pipeline/config-text.js'
import { GoNilList, withEmptyLists } from '../../../harness/model/pipeline/go-nil-list.js'
import { typedAt } from '../../../harness/model/interpolate/interpolated-types.js'
import { goYaml } from '../../../harness/model/document/go-yaml.js'
import { loadInline } from '../support/load-inline.js'

// The differential against Compose v2 is specs/unit/conformance/model.spec.ts (every case of the
// corpus, with --no-interpolate); these pin the rules down one by one.
const raw = (text: string, options: { normalize?: boolean; resolvePaths?: boolean } = {}) =>
  loadRawModel([{ file: '/project/compose.yml', text }], {
    projectDirectory: '/project',
    lookup: (name) => ({ HOME: '/home/tester', TAG: 'from-env' })[name],
    readText: () => undefined,
    ...(options.normalize === false && { normalizeName: false }),
    ...(options.resolvePaths === false && { resolvePaths: false }),
  })
const service = (doc: Record<string, unknown>, name = 'web') =>
  (doc.services as Record<string, Record<string, unknown>>)[name]!

describe('the model as config --no-interpolate prints it', () => {
  it('keeps every ${VAR} as written, where the interpolated model has its value', () => {
    const text = 'services:\n  web:\n    image: "nginx:${TAG}"\n    command: echo $$HOME\n'
    expect(service(raw(text))).toMatchObject({ image: 'nginx:${TAG}', command: 'echo $$HOME' })
    expect(loadInline(text, { env: { TAG: 'from-env' } }).project.services.web!.image).toBe('nginx:from-env')
  })

  it('writes short syntax in its long form, and keeps a list whole where a variable keeps one entry from parsing', () => {
    const doc = raw(`services:
  web:
    image: x
    ports: ["8080:80"]
  api:
    image: x
    ports: ["\${PORT}:80", "9000:9000"]
    volumes: ["\${SRC:-./data}:/data", "./conf:/conf:ro", /a]
`)
    expect(service(doc).ports).toEqual([{ target: 80, published: '8080', protocol: 'tcp', mode: 'ingress' }])
    expect(service(doc, 'api').ports).toEqual(['${PORT}:80', '9000:9000'])
    expect(service(doc, 'api').volumes).toEqual([
      { type: 'volume', source: '${SRC:-./data}', target: '/data', volume: {} },
      { type: 'bind', source: '/project/conf', target: '/conf', read_only: true, bind: { create_host_path: true } },
      { type: 'volume', target: '/a' },
    ])
  })

  it("normalizes as compose-go does: the default network, names from keys, implied depends_on, the project's name", () => {
    const text = `services:
  web:
    image: x
    links: [db]
    environment: [COMPOSE_PROJECT_NAME, HOME]
  db:
    image: x
volumes:
  data:
`
    const doc = raw(text)
    expect(doc.name).toBe('project')
    expect(doc.networks).toEqual({ default: { name: 'project_default' } })
    expect(doc.volumes).toEqual({ data: { name: 'project_data' } })
    expect(service(doc)).toMatchObject({
      networks: { default: null },
      depends_on: { db: { condition: 'service_started', restart: true, required: true } },
      // Only COMPOSE_PROJECT_NAME is given a value: compose-go's loader has no other variable there.
      environment: ['COMPOSE_PROJECT_NAME=project', 'HOME'],
    })
    const asWritten = raw(text, { normalize: false })
    expect([asWritten.name, asWritten.networks, service(asWritten).depends_on]).toEqual([
      undefined,
      undefined,
      undefined,
    ])
  })

  it('resolves relative paths against the project directory unless told not to, and ~ against HOME', () => {
    const text = 'services:\n  web:\n    build: ./app/\n    env_file: ~/vars.env\n'
    expect(service(raw(text)).build).toEqual({ context: '/project/app', dockerfile: 'Dockerfile' })
    expect(service(raw(text)).env_file).toEqual([{ path: '/home/tester/vars.env', required: true }])
    expect(service(raw(text, { resolvePaths: false })).build).toEqual({ context: './app/', dockerfile: 'Dockerfile' })
  })

  it('merges what two files both write as KEY=value entries, as compose-go does: the first file sorted, then the next, each key once', () => {
    const doc = loadRawModel(
      [
        {
          file: '/project/compose.yml',
          text: 'services:\n  web:\n    environment: {Z: "1", KEEP: base, REPLACE: base}\n',
        },
        {
          file: '/project/override.yml',
          text: 'services:\n  web:\n    environment: ["REPLACE=${NEW}", ADDED=1, Z]\n',
        },
      ],
      { projectDirectory: '/project', lookup: () => undefined, readText: () => undefined },
    )
    expect(service(doc).environment).toEqual(['KEEP=base', 'REPLACE=${NEW}', 'Z', 'ADDED=1'])
  })

  it('refuses a ulimit a variable keeps as text, naming the key, as compose-go does', () => {
    const load = () => raw('services:\n  web:\n    image: x\n    ulimits:\n      nofile: ${N}\n')
    expect(load).toThrow(ComposeError)
    expect(load).toThrow(/services\.web\.ulimits\.nofile: expected a number or a mapping of soft and hard/)
  })

  it('writes a list Go holds as nil as null in JSON and [] in YAML', () => {
    const doc = raw('services:\n  web:\n    build:\n      context: .\n      args: [UNSET]\n')
    expect(JSON.parse(JSON.stringify(service(doc).build))).toMatchObject({ args: null })
    expect(goYaml(withEmptyLists(doc))).toContain('args: []')
    expect(service(doc).build).toMatchObject({ args: expect.any(GoNilList) as unknown })
  })
})

describe("Go's writers", () => {
  it('order keys as yaml.v3 does: digits by value, digits before letters', () => {
    expect(['b', 'a10', 'a2', '10', '9', 'A', 'a'].sort(goYamlKeyOrder)).toEqual([
      '9',
      '10',
      'A',
      'a',
      'a2',
      'a10',
      'b',
    ])
  })

  it("write config's JSON as compose-go's MarshalJSON: the name and the services always, a service's command and entrypoint as null", () => {
    expect(JSON.parse(configJson({ services: { app: { image: 'a@sha256:1' } } }))).toEqual({
      name: '',
      services: { app: { command: null, entrypoint: null, image: 'a@sha256:1' } },
    })
  })

  it('write JSON as json.MarshalIndent: keys by their bytes, <>& escaped, empty lists and maps on their line', () => {
    expect(plainJson({ b: [], a10: { '9': 1, '10': true }, a2: {}, c: '<a&b>' })).toBe(
      '{\n  "a10": {\n    "10": true,\n    "9": 1\n  },\n  "a2": {},\n  "b": [],\n  "c": "\\u003ca\\u0026b\\u003e"\n}',
    )
  })

  it('quote a string wherever YAML 1.1 or 1.2 would read something else', () => {
    expect(goYaml({ a: 'y', b: 'on', c: '0o17', n: 'x', d: 'plain', e: '1_000' })).toBe(
      'a: "y"\nb: "on"\nc: "0o17"\n"n": x\nd: plain\ne: "1_000"\n',
    )
  })

  it('quote in single quotes where only the syntax needs them, in double quotes a tab or a control character', () => {
    const text = goYaml({ a: 'a: b', b: "it's: x", c: '#x', d: ' lead', e: 'tab\there', f: 'bell\u0007', g: "it's" })
    expect(text).toBe(`a: 'a: b'\nb: 'it''s: x'\nc: '#x'\nd: ' lead'\ne: "tab\\there"\nf: "bell\\a"\ng: it's\n`)
  })

  it('never fold a long line, and keep the order of a Map', () => {
    const long = `echo ${'word '.repeat(30)}end`
    expect(
      goYaml(
        new Map<string, unknown>([
          ['z', long],
          ['80', 1],
          ['a', 2],
        ]),
      ),
    ).toBe(`z: ${long}\n"80": 1\na: 2\n`)
  })
})

describe('interpolated values, typed as the key takes them', () => {
  it.each([
    [['services', 'web', 'deploy', 'replicas'], '2', 2],
    [['services', 'web', 'privileged'], 'true', true],
    [['services', 'web', 'privileged'], 'off', false],
    [['services', 'web', 'ports', 0, 'target'], '80', 80],
    [['services', 'web', 'cpus'], '0.5', 0.5],
    [['networks', 'back', 'internal'], 'false', false],
    [['services', 'web', 'deploy', 'replicas'], 'two', 'two'],
    [['services', 'web', 'image'], '2', '2'],
  ] as const)('%j: %j → %j', (path, text, typed) => {
    expect(typedAt([...path], text)).toBe(typed)
  })

  it('only where interpolation changed the value: text written as text stays text', () => {
    const replicas = (written: string) =>
      (
        loadInline(`services:\n  web:\n    image: x\n    deploy:\n      replicas: ${written}\n`, { env: { N: '3' } })
          .project.services.web!.extras.deploy as { replicas: unknown }
      ).replicas
    expect([replicas('${N}'), replicas('"3"')]).toEqual([3, '3'])
  })
})
