import { createHash } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { referenceCompose, runReference } from '../../../harness/conformance/reference-compose.js'
import { runCli } from '../../support/cli.js'
import { startRegistry, type Registry } from '../support/registry.js'
import { uniqueProjectName } from '../support/test-projects.js'

// `publish` by both tools to a real registry (Debian's docker-registry, plain HTTP: both take
// Compose v2's own test switch for it), the artifacts read back from the registry and compared.

/** A service with an env file, one that extends a service of another file with a bind mount, and variables. */
const COMPOSE = `services:
  web:
    image: compose-harness-probe
    env_file: ./app.env
    extends:
      file: base.yml
      service: base
    volumes: ["./data:/data"]
  db:
    image: compose-harness-probe
    environment: [ROLE=db]
`
const BASE = 'services:\n  base:\n    command: ["sleep", "1"]\n'
const BUILD_ONLY = 'services:\n  app:\n    build: .\n  web:\n    image: compose-harness-probe\n'

type Run = { code: number; stdout: string; stderr: string }

const INDEX_OR_MANIFEST = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ')

/** A manifest without what differs by nature between two publishings: when, and which tool's version. */
function comparable(manifest: Record<string, unknown>): unknown {
  const { annotations: _, layers, ...rest } = manifest as { annotations: unknown; layers: Record<string, unknown>[] }
  const neutral = layers.map((layer): Record<string, unknown> => {
    const annotations = { ...(layer.annotations as Record<string, string>) }
    delete annotations['com.docker.compose.version']
    return { ...layer, annotations }
  })
  // Compose v2 adds the extends and env file layers in a Go map's order: compared as a set.
  return { ...rest, layers: neutral.sort((a, b) => String(a.digest).localeCompare(String(b.digest))) }
}

describe.skipIf(!inject('engineReady'))('publish to a real registry, against Compose v2', () => {
  let registry: Registry
  const dir = mkdtempSync(join(tmpdir(), 'conf-publish-'))
  writeFileSync(join(dir, 'compose.yml'), COMPOSE)
  writeFileSync(join(dir, 'base.yml'), BASE)
  writeFileSync(join(dir, 'app.env'), 'GREETING=hello\n')
  writeFileSync(join(dir, 'build-only.yml'), BUILD_ONLY)
  writeFileSync(join(dir, 'included.yml'), 'services:\n  extra:\n    image: compose-harness-probe\n')
  writeFileSync(
    join(dir, 'including.yml'),
    'include: [included.yml]\nservices:\n  web:\n    image: compose-harness-probe\n',
  )
  writeFileSync(join(dir, 'no-mounts.yml'), 'services:\n  web:\n    volumes: !reset []\n')
  // Projects read back (`-f oci://…`) are kept in a cache of the spec's own, not the user's.
  const cache = mkdtempSync(join(tmpdir(), 'conf-publish-cache-'))
  const env = { ...process.env, __TEST__INSECURE__REGISTRY__: '1', XDG_CACHE_HOME: cache }
  const ours = (args: readonly string[]) => runCli(['--project-directory', dir, ...args], { env, cwd: dir })
  const theirs = (args: readonly string[]) =>
    runReference(referenceCompose(), ['--project-directory', dir, ...args], { env, cwd: dir, input: '' })
  const repo = uniqueProjectName('conf-publish')
  const target = (tool: string, tag: string) => `${registry.hostAddress}/ch/${repo}-${tool}:${tag}`

  beforeAll(async () => {
    registry = await startRegistry()
  }, 600_000)

  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true })
    rmSync(cache, { recursive: true, force: true })
    await registry?.[Symbol.asyncDispose]()
  })

  const both = async (args: (tool: string) => readonly string[]): Promise<{ ours: Run; theirs: Run }> => ({
    ours: await ours(args('h')),
    theirs: await theirs(args('r')),
  })

  it('publishes the same artifact as v2: the files, the extends file and the env file by their hashes, OCI 1.1 and 1.0', async () => {
    for (const [tag, flags] of [
      ['1', ['-y', '--with-env']],
      ['2', ['-y', '--with-env', '--oci-version', '1.0']],
    ] as const) {
      const { ours, theirs } = await both((tool) => ['publish', ...flags, target(tool, tag)])
      expect([ours.code, theirs.code], ours.stderr + theirs.stderr).toEqual([0, 0])
      const [mine, reference] = await Promise.all(
        ['h', 'r'].map((tool) => registry.manifest(`ch/${repo}-${tool}`, tag)),
      )
      expect(comparable(mine!), flags.join(' ')).toEqual(comparable(reference!))
      expect((reference!.layers as unknown[]).length).toBe(3)
      expect((mine!.annotations as Record<string, string>)['org.opencontainers.image.created']).toMatch(
        /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/,
      )
    }
    const v11 = await registry.manifest(`ch/${repo}-h`, '1')
    const v10 = await registry.manifest(`ch/${repo}-h`, '2')
    expect([v11.artifactType, (v10.config as { mediaType: string }).mediaType]).toEqual([
      'application/vnd.docker.compose.project',
      'application/vnd.docker.compose.config.empty.v1+json',
    ])
    // Compose v2 reads the harness's artifact back as a project: the extends file and the env file resolved.
    const read = await theirs(['-f', `oci://${target('h', '1')}`, 'config', '--format', 'json'])
    expect(read.code, read.stderr).toBe(0)
    const web = (JSON.parse(read.stdout) as { services: Record<string, { command: string[]; environment: object }> })
      .services.web!
    expect([web.command, web.environment]).toEqual([['sleep', '1'], { GREETING: 'hello' }])
  }, 300_000)

  it('--resolve-image-digests: the same override pinning each image, read from the registry', async () => {
    await registry.pushProbe(`ch/${repo}`)
    const pinned = `services:\n  probe:\n    image: ${registry.address}/ch/${repo}/probe:1\n  again:\n    image: ${registry.address}/ch/${repo}/probe:1\n`
    writeFileSync(join(dir, 'pinned.yml'), pinned)
    const { ours, theirs } = await both((tool) => [
      '-f',
      'pinned.yml',
      'publish',
      '--resolve-image-digests',
      target(tool, 'pinned'),
    ])
    expect([ours.code, theirs.code], ours.stderr + theirs.stderr).toEqual([0, 0])
    const [mine, reference] = await Promise.all(
      ['h', 'r'].map((tool) => registry.manifest(`ch/${repo}-${tool}`, 'pinned')),
    )
    expect(comparable(mine!)).toEqual(comparable(reference!))
    const layers = reference!.layers as { data: string }[]
    expect(Buffer.from(layers[1]!.data, 'base64').toString()).toMatch(
      /^services:\n {2}again:\n {4}image: \S+probe:1@sha256:[0-9a-f]{64}\n/,
    )
  }, 120_000)

  it('--app: the images copied beside the project, and the same index of them as v2 pushes, its subject the project', async (context) => {
    // Both tools pin the images through the engine (--app implies --resolve-image-digests) and copy
    // them themselves: on a remote engine, the engine and this machine reach the registry by two names.
    if (registry.address !== registry.hostAddress)
      return context.skip('the engine and this machine reach the registry by different names')
    await registry.pushProbe(`ch/${repo}`)
    // Read by the tools themselves, not by the engine: named where this machine reaches the registry.
    const image = `${registry.hostAddress}/ch/${repo}/probe:1`
    writeFileSync(join(dir, 'app.yml'), `services:\n  web:\n    image: ${image}\n  worker:\n    image: ${image}\n`)
    const { ours, theirs } = await both((tool) => ['-f', 'app.yml', 'publish', '-y', '--app', target(tool, 'app')])
    expect([ours.code, theirs.code], ours.stderr + theirs.stderr).toEqual([0, 0])
    const api = (path: string, accept = 'application/vnd.oci.image.index.v1+json') =>
      fetch(`http://${registry.hostAddress}/v2/${path}`, { method: 'HEAD', headers: { accept } })
    const source = await api(`ch/${repo}/probe/manifests/1`, INDEX_OR_MANIFEST)
    const copied = {
      mediaType: source.headers.get('content-type'),
      digest: source.headers.get('docker-content-digest'),
      size: Number(source.headers.get('content-length')),
      // The registry's host without its port, as Compose v2 writes it.
      annotations: { [`containerd.io/distribution.source.${registry.hostAddress.split(':')[0]}`]: `ch/${repo}/probe` },
    }
    const [mine, reference] = await Promise.all(
      ['h', 'r'].map((tool) => registry.manifest(`ch/${repo}-${tool}`, 'app')),
    )
    // The images pinned too, as with --resolve-image-digests.
    expect(comparable(mine!)).toEqual(comparable(reference!))
    expect((reference!.layers as unknown[]).length).toBe(2)
    for (const tool of ['h', 'r']) {
      const project = `ch/${repo}-${tool}`
      // The image, copied into the project's repository.
      expect((await api(`${project}/manifests/${copied.digest}`, INDEX_OR_MANIFEST)).status).toBe(200)
      // The index Compose v2 writes (Go's JSON), with the tool's own version: the registry has it by its digest.
      const manifest = await registry.manifest(project, 'app')
      const version = (manifest.layers as { annotations: Record<string, string> }[])[0]!.annotations[
        'com.docker.compose.version'
      ]
      const subject = await api(`${project}/manifests/app`, 'application/vnd.oci.image.manifest.v1+json')
      const index = JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.index.v1+json',
        manifests: [copied, copied],
        subject: {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: subject.headers.get('docker-content-digest'),
          size: Number(subject.headers.get('content-length')),
          annotations: { 'com.docker.compose.version': version },
          artifactType: 'application/vnd.docker.compose.project',
        },
        annotations: { 'com.docker.compose.version': version },
      })
      const digest = `sha256:${createHash('sha256').update(index).digest('hex')}`
      expect((await api(`${project}/manifests/${digest}`)).status, tool).toBe(200)
    }
  }, 120_000)

  it('asks, as v2 asks, before publishing bind mounts, and publishes nothing without an answer', async () => {
    const { ours, theirs } = await both((tool) => ['publish', '--with-env', target(tool, 'asked')])
    expect([ours.code, theirs.code]).toEqual([0, 0])
    expect(ours.stdout).toBe(theirs.stdout)
    expect(theirs.stdout).toContain('Are you ok to publish these bind mount declarations?')
    expect(theirs.stdout).toContain(`web${dir}/data:/data:rw\n`)
    for (const tool of ['h', 'r']) expect(await registry.tags(`ch/${repo}-${tool}`)).not.toContain('asked')
  }, 120_000)

  it('refuses what v2 refuses, in its words: variables without --with-env, a service that only builds, local includes', async () => {
    const variables = await both((tool) => ['-f', 'compose.yml', '-f', 'no-mounts.yml', 'publish', target(tool, 'env')])
    expect([variables.ours.code, variables.theirs.code]).toEqual([1, 1])
    // v2 lists the services in a Go map's order: compared line by line, as a set.
    const lines = (run: Run) =>
      run.stderr
        .trim()
        .split('\n')
        .filter((l) => !/level=/.test(l))
        .sort()
    expect(lines(variables.ours)).toEqual(lines(variables.theirs))
    expect(variables.theirs.stderr).toContain('service "web" has env_file declared.')

    const buildOnly = await both((tool) => ['-f', 'build-only.yml', 'publish', '-y', target(tool, 'build')])
    expect([buildOnly.ours.code, buildOnly.theirs.code]).toEqual([1, 1])
    expect(lines(buildOnly.ours)).toEqual(lines(buildOnly.theirs))
    expect(buildOnly.theirs.stderr).toContain('- "app"')

    const included = await both((tool) => ['-f', 'including.yml', 'publish', '-y', target(tool, 'included')])
    expect([included.ours.code, included.theirs.code]).toEqual([1, 1])
    expect(lines(included.ours)).toEqual(lines(included.theirs))
    expect(included.theirs.stderr).toContain('local includes')
  }, 120_000)

  it('reads a published project back as v2 does (-f oci://…): either tool’s artifact, OCI 1.1 and 1.0, the same copy in the same place, the same model', async () => {
    const published = await both((tool) => ['publish', '-y', '--with-env', target(tool, 'read')])
    expect([published.ours.code, published.theirs.code], published.ours.stderr + published.theirs.stderr).toEqual([
      0, 0,
    ])
    expect((await ours(['publish', '-y', '--with-env', '--oci-version', '1.0', target('h', 'read-1.0')])).code).toBe(0)
    // From a directory of their own, each tool with a cache of its own; the copies are compared, their paths one for the other.
    const elsewhere = mkdtempSync(join(tmpdir(), 'conf-oci-elsewhere-'))
    const caches = { h: mkdtempSync(join(tmpdir(), 'conf-oci-h-')), r: mkdtempSync(join(tmpdir(), 'conf-oci-r-')) }
    const read = async (tool: 'h' | 'r', args: readonly string[], extra: NodeJS.ProcessEnv = {}): Promise<Run> => {
      const options = { env: { ...env, XDG_CACHE_HOME: caches[tool], ...extra }, cwd: elsewhere }
      const run = tool === 'h' ? await runCli(args, options) : await runReference(referenceCompose(), args, options)
      return { ...run, stdout: run.stdout.replaceAll(caches[tool], 'CACHE') }
    }
    try {
      for (const reference of [target('h', 'read'), target('r', 'read'), target('h', 'read-1.0')])
        for (const flags of [[], ['--project-directory', dir], ['-f', join(dir, 'no-mounts.yml')]]) {
          const args = ['-f', `oci://${reference}`, ...flags, 'config', '--format', 'json']
          const [mine, theirs] = [await read('h', args), await read('r', args)]
          expect([mine.code, theirs.code], `${args.join(' ')}\n${mine.stderr}\n${theirs.stderr}`).toEqual([0, 0])
          expect(JSON.parse(mine.stdout), args.join(' ')).toEqual(JSON.parse(theirs.stdout))
        }
      const web = JSON.parse(
        (await read('h', ['-f', `oci://${target('r', 'read')}`, 'config', '--format', 'json'])).stdout,
      ) as {
        name: string
        services: Record<string, { command: string[]; environment: object; volumes: { source: string }[] }>
      }
      expect([web.name, web.services.web!.command, web.services.web!.environment]).toEqual([
        basename(elsewhere).toLowerCase(),
        ['sleep', '1'],
        { GREETING: 'hello' },
      ])
      expect(web.services.web!.volumes[0]!.source).toMatch(/^CACHE\/docker-compose\/[0-9a-f]{64}\/data$/)
      // A local file that includes one published project and extends a service of another.
      writeFileSync(
        join(elsewhere, 'compose.yml'),
        `include:\n  - oci://${target('r', 'read')}\nservices:\n  extra:\n    extends:\n      file: oci://${target('h', 'read-1.0')}\n      service: db\n`,
      )
      const [mine, theirs] = [
        await read('h', ['config', '--format', 'json']),
        await read('r', ['config', '--format', 'json']),
      ]
      expect([mine.code, theirs.code], mine.stderr + theirs.stderr).toEqual([0, 0])
      expect(JSON.parse(mine.stdout)).toEqual(JSON.parse(theirs.stdout))
      expect(Object.keys((JSON.parse(mine.stdout) as { services: object }).services).sort()).toEqual([
        'db',
        'extra',
        'web',
      ])
      // Each copy the harness made is v2's, file for file.
      const copies = (tool: 'h' | 'r') => {
        const root = join(caches[tool], 'docker-compose')
        return readdirSync(root)
          .sort()
          .map((digest) =>
            readdirSync(join(root, digest))
              .sort()
              .map((f) => [digest, f, readFileSync(join(root, digest, f), 'utf8')]),
          )
      }
      expect(copies('h')).toHaveLength(3)
      expect(copies('h')).toEqual(copies('r'))
      // What cannot be read fails with both: no such tag, an image that is no project, the reading turned off.
      await registry.pushProbe(`ch/${repo}-image`)
      for (const [args, extra, says] of [
        [['-f', `oci://${target('h', 'nosuch')}`, 'config'], {}, /failed to pull OCI resource/],
        [
          ['-f', `oci://${registry.hostAddress}/ch/${repo}-image/probe:1`, 'config'],
          {},
          /is not a compose project OCI artifact/,
        ],
        [
          ['-f', `oci://${target('h', 'read')}`, 'config'],
          { COMPOSE_EXPERIMENTAL_OCI_REMOTE: 'false' },
          /OCI remote resource is disabled by "COMPOSE_EXPERIMENTAL_OCI_REMOTE"/,
        ],
      ] as const) {
        const [mine, theirs] = [await read('h', args, extra), await read('r', args, extra)]
        expect([mine.code, theirs.code], args.join(' ')).toEqual([1, 1])
        expect(mine.stderr).toMatch(says)
        expect(theirs.stderr).toMatch(says)
      }
    } finally {
      for (const d of [elsewhere, caches.h, caches.r]) rmSync(d, { recursive: true, force: true })
    }
  }, 180_000)
})
