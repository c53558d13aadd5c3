import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { canonicalModel } from '../../../harness/conformance/canonical-model.js'
import { referenceCompose, runReference } from '../../../harness/conformance/reference-compose.js'
import { runCliSync } from '../../support/cli.js'

// config's flags against Compose v2 on one project: a .env, an env_file, models (one unused), and an
// undefined network that only --no-consistency lets through. `config` needs no engine.
const dir = mkdtempSync(join(tmpdir(), 'config-flags-'))
writeFileSync(join(dir, '.env'), 'FROM_DOT_ENV=dot\nFOO=from-dot-env\n')
writeFileSync(join(dir, 'vars.env'), 'X=1\nY=${X}-y\nZ=${FOO}\n')
writeFileSync(
  join(dir, 'compose.yml'),
  `services:
  app:
    image: busybox
    env_file: [vars.env]
    environment: {OWN: o}
    models: [llm]
models:
  llm: {model: ai/smollm2}
  unused: {model: ai/unused}
`,
)
writeFileSync(
  join(dir, 'named-only.yml'),
  `services:
  app:
    image: busybox
    networks: [front]
    volumes: [data:/data]
networks:
  front: {}
  spare: {}
volumes:
  data: {}
  spare: {}
`,
)
writeFileSync(
  join(dir, 'unready.yml'),
  `services:
  app:
    image: busybox
    container_name: same
    env_file: [not-made-yet.env]
  worker:
    image: busybox
    container_name: same
`,
)
writeFileSync(
  join(dir, 'typo.yml'),
  `services:
  app:
    image: "busybox:\${TAG:?set a tag}"
    restart_policy: always
    healthcheck:
      tset: [CMD, "true"]
`,
)
writeFileSync(
  join(dir, 'inconsistent.yml'),
  `services:
  app:
    image: busybox
    networks: [nowhere]
`,
)
writeFileSync(
  join(dir, 'unused.yml'),
  `services:
  app:
    image: busybox
networks:
  spare: {}
volumes:
  spare: {}
secrets:
  token: {file: ./vars.env}
`,
)
writeFileSync(
  join(dir, 'paths.yml'),
  `services:
  app:
    build: ./app
    image: paths-app
    env_file: [vars.env]
    volumes: [./data:/data, "~/cache:/cache", /abs:/abs]
    secrets: [token]
secrets:
  token: {file: ./vars.env}
`,
)
writeFileSync(
  join(dir, 'raw.yml'),
  `name: raw-\${STAGE:-test}
services:
  web:
    image: "nginx:\${TAG:-latest}"
    ports: ["\${PORT:-8080}:80", "9000:9000"]
    volumes: ["\${SRC:-./data}:/data", "./conf:/conf:ro", cache:/cache]
    environment: [A=1, COMPOSE_PROJECT_NAME, UNSET]
    labels: {z-last: "1", a10: x, a2: y}
    command: echo $$HOME \${GREETING}
    cpus: \${CPUS:-0.5}
    depends_on: [db]
    build: {context: ./app, args: [ONLY_NAME]}
    deploy: {replicas: "\${REPLICAS:-2}"}
  db:
    image: postgres
    ports: ["5432:5432"]
    profiles: [never]
volumes:
  cache:
`,
)
writeFileSync(
  join(dir, 'implied.yml'),
  `services:
  web:
    build: ./app
    image: implied-web
    links: [db]
    volumes_from: [store]
    pull_policy: if_not_present
    volumes: [data:/data/]
  db:
    image: busybox
    network_mode: "service:store"
    depends_on:
      store: {condition: service_started}
  store:
    image: busybox
    networks: [back]
volumes:
  data: {}
networks:
  back: {}
  named: {name: explicit}
`,
)
writeFileSync(
  join(dir, 'compat.yml'),
  `services:
  web:
    build: ./app
    links: [db]
  db:
    image: busybox
`,
)
writeFileSync(
  join(dir, 'same-name.yml'),
  'services:\n  a: {image: busybox, container_name: same}\n  b: {image: busybox, container_name: same}\n',
)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const ENV = { ...process.env, NO_COLOR: '1', FOO: 'from-env' }

/** `args` run by both tools, from `cwd` (the project directory by default). */
function both(args: readonly string[], file = 'compose.yml', cwd = dir) {
  const flags = ['-f', join(dir, file), '--project-directory', dir]
  const ours = runCliSync([...flags, ...args], { env: ENV, cwd })
  return runReference(referenceCompose(), [...flags, ...args], { env: ENV, cwd }).then((theirs) => ({
    ours,
    theirs,
  }))
}

describe('config flags, against Compose v2', () => {
  it('--environment: every variable the files see, the environment over the .env, PWD and COMPOSE_PROJECT_NAME', async () => {
    const { ours, theirs } = await both(['config', '--environment'])
    expect(ours.code, ours.stderr).toBe(0)
    expect(ours.stdout).toBe(theirs.stdout)
    expect(theirs.stdout).toMatch(/^FOO=from-env$/m)
    expect(theirs.stdout).toMatch(/^FROM_DOT_ENV=dot$/m)
    // Two services of one container name: `config` refuses them, `config --environment` does not.
    const twice = await both(['config', '--environment'], 'same-name.yml')
    expect([twice.ours.code, twice.ours.stdout]).toEqual([twice.theirs.code, twice.theirs.stdout])
    expect(twice.theirs.code).toBe(0)
    expect((await both(['config'], 'same-name.yml')).ours.code).toBe(1)
  })

  it('--models: the model of each model a service uses', async () => {
    const { ours, theirs } = await both(['config', '--models'])
    expect([ours.code, ours.stdout]).toEqual([theirs.code, theirs.stdout])
    expect(theirs.stdout).toBe('ai/smollm2\n')
  })

  it('-o FILE: the document in the file, nothing on stdout; --no-env-resolution changes nothing', async () => {
    for (const format of ['yaml', 'json']) {
      const written = (tool: string) => join(dir, `${tool}.${format}`)
      const ours = runCliSync(
        ['-f', join(dir, 'compose.yml'), 'config', '--format', format, '--no-env-resolution', '-o', written('ours')],
        { env: ENV },
      )
      const theirs = await runReference(
        referenceCompose(),
        ['-f', join(dir, 'compose.yml'), 'config', '--format', format, '--no-env-resolution', '-o', written('theirs')],
        { env: ENV },
      )
      expect([ours.code, ours.stdout]).toEqual([theirs.code, theirs.stdout])
      const [a, b] = [readFileSync(written('ours'), 'utf8'), readFileSync(written('theirs'), 'utf8')]
      // Compose 2.40's JSON leaves the models out (the divergence reference-json-omits-models).
      const { models, ...rest } = parse(a)
      expect(canonicalModel(format === 'json' ? rest : { ...rest, models })).toEqual(canonicalModel(parse(b)))
      // The env file merged, the unused model left out.
      expect(parse(b).services.app.environment).toEqual({ OWN: 'o', X: '1', Y: '1-y', Z: 'from-env' })
      expect(Object.keys(models as object)).toEqual(['llm'])
    }
  })

  it('--all-resources: the networks, volumes, secrets and models no service uses too', async () => {
    const plain = await both(['config'], 'unused.yml')
    const { ours, theirs } = await both(['--all-resources', 'config'], 'unused.yml')
    expect([ours.code, theirs.code]).toEqual([0, 0])
    expect(canonicalModel(parse(ours.stdout))).toEqual(canonicalModel(parse(theirs.stdout)))
    expect(Object.keys(parse(theirs.stdout).networks as object).sort()).toEqual(['default', 'spare'])
    // Without it, what no service uses is left out, by both.
    expect(Object.keys(parse(plain.theirs.stdout).networks as object)).toEqual(['default'])
    expect(Object.keys(parse(plain.ours.stdout).networks as object)).toEqual(['default'])
  })

  it('--networks and --volumes: those some service uses (all with --all-resources), no default network none is on', async () => {
    const lines = (text: string) => text.trim().split('\n').sort()
    for (const flags of [[], ['--all-resources']])
      for (const list of ['--networks', '--volumes']) {
        const { ours, theirs } = await both([...flags, 'config', list], 'named-only.yml')
        expect([ours.code, theirs.code]).toEqual([0, 0])
        // v2 lists them in a Go map's order; the harness by name.
        expect(lines(ours.stdout), [...flags, list].join(' ')).toEqual(lines(theirs.stdout))
      }
    const { ours, theirs } = await both(['--all-resources', 'config'], 'named-only.yml')
    expect(ours.stdout).toBe(theirs.stdout)
    expect(Object.keys(parse(ours.stdout).networks as object)).toEqual(['front', 'spare'])
  })

  it('--variables: the same text as Compose v2 in JSON and YAML, an empty list too', async () => {
    for (const file of ['raw.yml', 'unused.yml'])
      for (const format of ['json', 'yaml']) {
        const { ours, theirs } = await both(['config', '--variables', '--format', format], file)
        expect([ours.code, theirs.code]).toEqual([0, 0])
        expect(ours.stdout, `${file} ${format}`).toBe(theirs.stdout)
      }
  })

  it('the lists read no env file and let two services share a container name, as v2; the document does not', async () => {
    for (const list of ['--services', '--images', '--volumes', '--networks', '--profiles']) {
      const { ours, theirs } = await both(['config', list], 'unready.yml')
      expect([ours.code, theirs.code], list).toEqual([0, 0])
      expect(ours.stdout.split('\n').sort(), list).toEqual(theirs.stdout.split('\n').sort())
    }
    for (const args of [['config'], ['config', '-q']]) {
      const { ours, theirs } = await both(args, 'unready.yml')
      expect([ours.code, theirs.code], args.join(' ')).toEqual([1, 1])
    }
  })

  it('--no-interpolate and --variables refuse an unknown key, as v2 does, whatever the variables', async () => {
    for (const args of [
      ['config', '--no-interpolate'],
      ['config', '--variables'],
    ]) {
      const { ours, theirs } = await both(args, 'typo.yml')
      expect([ours.code, theirs.code], args.join(' ')).toEqual([1, 1])
      expect(ours.stderr).toContain('typo.yml:4:5 services.app.restart_policy: unknown key')
      expect(ours.stderr).toContain('typo.yml:6:7 services.app.healthcheck.tset: unknown key (expected one of test,')
      // The variable TAG, unset, is not what is refused.
      expect(ours.stderr).not.toContain('TAG')
    }
  })

  it('--no-consistency: a reference to an undefined network goes through, which is refused without it', async () => {
    const refused = await both(['config'], 'inconsistent.yml')
    expect([refused.ours.code, refused.theirs.code]).toEqual([1, 1])
    const { ours, theirs } = await both(['config', '--no-consistency'], 'inconsistent.yml')
    expect([ours.code, theirs.code]).toEqual([0, 0])
    expect(canonicalModel(parse(ours.stdout))).toEqual(canonicalModel(parse(theirs.stdout)))
  })

  it('--no-path-resolution: build contexts, bind mounts, env files and secrets as written; the env files read all the same', async () => {
    // From the project directory: Compose 2.40 then reads the env files from where it runs.
    const { ours, theirs } = await both(['config', '--no-path-resolution', '--format', 'json'], 'paths.yml')
    expect([ours.code, theirs.code], ours.stderr + theirs.stderr).toEqual([0, 0])
    expect(canonicalModel(JSON.parse(ours.stdout))).toEqual(canonicalModel(JSON.parse(theirs.stdout)))
    const app = (JSON.parse(theirs.stdout) as { services: { app: { build: { context: string } } } }).services.app
    expect(app.build.context).toBe('./app')
    // Without it, the same paths are the project directory's.
    const resolved = await both(['config', '--format', 'json'], 'paths.yml')
    expect(resolved.ours.stdout).toContain(JSON.stringify(join(dir, 'app')))
    expect(resolved.ours.stdout).not.toContain('"./app"')
  })

  it('--no-interpolate: the same text as Compose v2, in YAML and in JSON, every ${VAR} as written', async () => {
    for (const flags of [[], ['--format', 'json'], ['--no-normalize'], ['--no-path-resolution']]) {
      const { ours, theirs } = await both(['config', '--no-interpolate', ...flags], 'raw.yml')
      expect([ours.code, theirs.code], ours.stderr + theirs.stderr).toEqual([0, 0])
      expect(ours.stdout.trimEnd(), flags.join(' ')).toBe(theirs.stdout.trimEnd())
    }
    const { ours } = await both(['config', '--no-interpolate'], 'raw.yml')
    // Not interpolated, not escaped, not parsed where a variable keeps it from parsing; parsed where it does not.
    expect(ours.stdout).toContain('image: nginx:${TAG:-latest}')
    expect(ours.stdout).toContain('command: echo $$HOME ${GREETING}')
    expect(ours.stdout).toContain('- ${PORT:-8080}:80')
    expect(ours.stdout).toContain('source: ${SRC:-./data}')
    expect(ours.stdout).toContain('published: "5432"')
    expect(ours.stdout).toContain('- COMPOSE_PROJECT_NAME=raw-stage-test')
    // Interpolated, the same files give other values: the comparison above is not of two equal documents by chance.
    const interpolated = await both(['--profile', 'never', 'config'], 'raw.yml')
    expect(interpolated.ours.stdout).toContain('image: nginx:latest')
  })

  it('--no-normalize: no default network, no names from keys, no default dockerfile, no depends_on that links imply', async () => {
    const { ours, theirs } = await both(['config', '--no-normalize', '--format', 'json'], 'implied.yml')
    expect([ours.code, theirs.code], ours.stderr + theirs.stderr).toEqual([0, 0])
    expect(canonicalModel(JSON.parse(ours.stdout))).toEqual(canonicalModel(JSON.parse(theirs.stdout)))
    const doc = JSON.parse(theirs.stdout) as { networks: object; services: { web: { depends_on?: object } } }
    expect([Object.keys(doc.networks), doc.services.web.depends_on]).toEqual([['back'], undefined])
    // Normalized, the same files give more: the comparison above is not of two equal documents by chance.
    const normalized = await both(['config', '--format', 'json'], 'implied.yml')
    expect(canonicalModel(JSON.parse(normalized.ours.stdout))).not.toEqual(canonicalModel(JSON.parse(ours.stdout)))
  })

  it("--compatibility (and COMPOSE_COMPATIBILITY): v1's default image names, the document without normalization", async () => {
    const { ours, theirs } = await both(['--compatibility', 'config', '--format', 'json'], 'compat.yml')
    expect([ours.code, theirs.code], ours.stderr + theirs.stderr).toEqual([0, 0])
    expect(canonicalModel(JSON.parse(ours.stdout))).toEqual(canonicalModel(JSON.parse(theirs.stdout)))
    expect((JSON.parse(theirs.stdout) as { networks?: object }).networks).toBeUndefined()
    const images = (run: { stdout: string }) => run.stdout.trim().split('\n').sort()
    const flagged = await both(['--compatibility', 'config', '--images'], 'compat.yml')
    const name = (JSON.parse(theirs.stdout) as { name: string }).name
    expect([images(flagged.ours), images(flagged.theirs)]).toEqual([
      ['busybox', `${name}_web`],
      ['busybox', `${name}_web`],
    ])
    const byVariable = runCliSync(['-f', join(dir, 'compat.yml'), 'config', '--images'], {
      env: { ...ENV, COMPOSE_COMPATIBILITY: 'true' },
      cwd: dir,
    })
    expect(images(byVariable)).toEqual(['busybox', `${name}_web`])
  })
})
