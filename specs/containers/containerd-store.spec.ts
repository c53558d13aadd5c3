import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { Compose } from '../../harness/api/compose.js'
import { referenceCompose, runReference } from '../../harness/conformance/reference-compose.js'
import { runCli } from '../support/cli.js'
import { eventually } from '../support/eventually.js'
import { dockerInDockerOrWhyNot, remoteEnvironment, type RemoteEngine } from './support/docker-in-docker.js'

// Builds on an engine whose images are in containerd's image store (Docker 28.5 started so, in a
// container of this machine's engine), as Compose v2 (buildx's docker driver) builds them there:
// `build.platforms` naming several into one image, and every image with buildx's default
// provenance. This machine's engine refuses several platforms to both (buildkit.spec.ts). There,
// too, each tool writes a build cache into a local directory, which the other then builds from.
const FILE = resolve('fixtures/buildkit/platforms/compose.yml')
const CACHE_FILE = resolve('fixtures/buildkit/local-cache/compose.yml')
const REGISTRY_FILE = resolve('fixtures/registry/compose.yml')
const REGISTRY_CACHE_FILE = resolve('fixtures/buildkit/registry-cache/compose.yml')

let remote: RemoteEngine | undefined
let unavailable = ''

interface ImageSummary {
  readonly RepoTags?: string[]
  readonly Manifests?: { Kind: string; ImageData?: { Platform?: { os: string; architecture: string } } }[]
}

/** What the image's step wrote when it ran (fixtures/buildkit/*-cache). */
async function stamp(image: string): Promise<string> {
  const container = await remote!.docker.createContainer({ Image: image, Cmd: ['cat', '/stamp'] })
  await container.start()
  await container.wait()
  const out = await container.logs({ stdout: true })
  await container.remove()
  return out.subarray(8).toString().trim()
}

/** A build by the harness (h) or Compose v2 (r) of the file's `service`, with `env` besides the remote engine's. */
function build(tool: 'h' | 'r', file: string, service: string, env: NodeJS.ProcessEnv) {
  const args = ['-f', file, '-p', `cache-${tool}`, 'build', service]
  const options = { env: { ...remoteEnvironment(remote!), ...env }, timeoutMs: 240_000 }
  return tool === 'h'
    ? runCli(args, options)
    : runReference(referenceCompose(), args, { ...options, env: { ...process.env, ...options.env } })
}

/** What an image holds, as the engine lists it: each manifest's kind, with its platform where it is an image's. */
async function manifestsOf(image: string): Promise<string[]> {
  const listed = (await remote!.docker.listImages({ manifests: true } as object)) as ImageSummary[]
  const summary = listed.find((i) => i.RepoTags?.includes(`${image}:latest`))
  return (summary?.Manifests ?? [])
    .map((m) =>
      `${m.Kind} ${m.ImageData?.Platform ? `${m.ImageData.Platform.os}/${m.ImageData.Platform.architecture}` : ''}`.trim(),
    )
    .sort()
}

describe.skipIf(!inject('engineReady'))('an image for several platforms, on containerd’s image store', () => {
  beforeAll(async () => {
    ;({ remote, unavailable } = await dockerInDockerOrWhyNot({ imageStore: 'containerd' }, 'sid'))
  }, 300_000)
  afterAll(async () => {
    await remote?.[Symbol.asyncDispose]()
  })

  it('builds as Compose v2 builds there: one image, a manifest for each platform, each with its provenance', async (context) => {
    if (!remote) context.skip(unavailable)
    const env = (image: string) => ({ ...remoteEnvironment(remote!), IMAGE: image })
    const [ours, theirs] = await Promise.all([
      runCli(['-f', FILE, '-p', 'platforms-h', 'build'], { env: env('platforms-h'), timeoutMs: 240_000 }),
      runReference(referenceCompose(), ['-f', FILE, '-p', 'platforms-r', 'build'], {
        env: { ...process.env, ...env('platforms-r') },
        timeoutMs: 240_000,
      }),
    ])
    expect([ours.code, theirs.code], ours.stderr + theirs.stderr).toEqual([0, 0])
    const images = ['platforms-h', 'platforms-r', 'platforms-h-one', 'platforms-r-one']
    const [built, reference, builtOne, referenceOne] = await Promise.all(images.map(manifestsOf))
    expect(built).toEqual(reference)
    expect(built).toEqual(['attestation', 'attestation', 'image linux/amd64', 'image linux/arm64'])
    expect(builtOne).toEqual(referenceOne)
    const own = `image linux/${(await remote!.docker.version()).Arch}`
    expect(builtOne).toEqual(['attestation', own])
    // Without the default attestations, as buildx leaves them out.
    const bare = await runCli(['-f', FILE, '-p', 'platforms-h', 'build'], {
      env: { ...env('platforms-bare'), BUILDX_NO_DEFAULT_ATTESTATIONS: '1' },
      timeoutMs: 240_000,
    })
    expect(bare.code, bare.stderr).toBe(0)
    expect(await manifestsOf('platforms-bare')).toEqual(['image linux/amd64', 'image linux/arm64'])
    expect(await manifestsOf('platforms-bare-one')).toEqual([own])
  }, 600_000)

  it('takes --provenance as buildx reads it, where Compose 2.40 turns the attestation on whatever the value (divergence attestation-value-read)', async (context) => {
    if (!remote) context.skip(unavailable)
    const env = (image: string) => ({ ...remoteEnvironment(remote!), IMAGE: image })
    const both = (image: string, ...flags: string[]) =>
      Promise.all([
        runCli(['-f', FILE, '-p', 'attest-h', 'build', ...flags, 'one'], {
          env: env(`${image}-h`),
          timeoutMs: 240_000,
        }),
        runReference(referenceCompose(), ['-f', FILE, '-p', 'attest-r', 'build', ...flags, 'one'], {
          env: { ...process.env, ...env(`${image}-r`) },
          timeoutMs: 240_000,
        }),
      ])
    const own = `image linux/${(await remote!.docker.version()).Arch}`
    for (const [flags, harness, reference] of [
      [
        ['--provenance', 'mode=max'],
        ['attestation', own],
        ['attestation', own],
      ],
      [['--provenance=false'], [own], ['attestation', own]],
      [['--provenance=true'], ['attestation', own], ['attestation', own]],
    ] as const) {
      const runs = await both('attest', ...flags)
      expect(
        runs.map((r) => r.code),
        runs.map((r) => r.stderr).join(''),
      ).toEqual([0, 0])
      expect([await manifestsOf('attest-h-one'), await manifestsOf('attest-r-one')], flags.join(' ')).toEqual([
        harness,
        reference,
      ])
    }
  }, 600_000)

  it('writes and reads a local cache as Compose v2 does: a step one tool’s cache_to: type=local wrote is taken by the other, not run again', async (context) => {
    if (!remote) context.skip(unavailable)
    const docker = remote!.docker
    const dirs: Record<'h' | 'r', string> = {
      h: mkdtempSync(join(tmpdir(), 'local-cache-h-')),
      r: mkdtempSync(join(tmpdir(), 'local-cache-r-')),
    }
    try {
      // Each build after the engine's build cache is emptied, so that only an import brings the step back.
      for (const [tool, service, cacheOf] of [
        ['r', 'exported'],
        ['h', 'exported'],
        ['h', 'imported', 'r'],
        ['r', 'imported', 'h'],
        ['h', 'uncached'],
      ] as const) {
        await docker.pruneBuilder({ all: true } as object)
        const run = await build(tool, CACHE_FILE, service, { IMAGE: `cache-${tool}`, CACHE_DIR: dirs[cacheOf ?? tool] })
        expect(run.code, run.stderr).toBe(0)
      }
      const [written, ours] = [await stamp('cache-r-exported'), await stamp('cache-h-exported')]
      expect(written).toMatch(/^\d+$/)
      expect(ours).toMatch(/^\d+$/)
      expect(ours).not.toBe(written)
      // The harness took v2's cache, and v2 took the harness's.
      expect(await stamp('cache-h-imported')).toBe(written)
      expect(await stamp('cache-r-imported')).toBe(ours)
      expect(await stamp('cache-h-uncached')).not.toBe(written)
      expect(JSON.parse(readFileSync(join(dirs.h, 'index.json'), 'utf8')).manifests).toEqual([
        expect.objectContaining({ annotations: { 'org.opencontainers.image.ref.name': 'latest' } }),
      ])
    } finally {
      for (const dir of Object.values(dirs)) rmSync(dir, { recursive: true, force: true })
    }
  }, 600_000)

  it('pushes and pulls a registry cache as Compose v2 does: a step one tool’s cache_to: type=registry pushed is taken by the other', async (context) => {
    if (!remote) context.skip(unavailable)
    const docker = remote!.docker
    // A real registry (Debian's docker-registry) in the inner engine, pushed to on its loopback, which that engine takes as insecure.
    await Compose.fromSettings({ files: [REGISTRY_FILE] }).build('missing')
    await remote!.load('compose-harness-registry')
    const registry = await docker.createContainer({
      Image: 'compose-harness-registry',
      HostConfig: { PortBindings: { '5000/tcp': [{ HostPort: '' }] } },
    })
    await registry.start()
    const port = (await registry.inspect()).NetworkSettings.Ports['5000/tcp']![0]!.HostPort
    const answers = () =>
      fetch(`http://${remote!.address}:${port}/v2/`).then(
        (r) => r.ok,
        () => false,
      )
    expect(await eventually(answers, (ok) => ok, 30_000, 100)).toBe(true)
    const ref = (tool: 'h' | 'r') => `127.0.0.1:${port}/cache-${tool}:build`
    for (const [tool, service, cacheOf] of [
      ['r', 'exported', 'r'],
      ['h', 'exported', 'h'],
      ['h', 'imported', 'r'],
      ['r', 'imported', 'h'],
    ] as const) {
      await docker.pruneBuilder({ all: true } as object)
      const run = await build(tool, REGISTRY_CACHE_FILE, service, {
        IMAGE: `regcache-${tool}`,
        CACHE_REF: ref(cacheOf),
      })
      expect(run.code, run.stderr).toBe(0)
    }
    const [theirs, ours] = [await stamp('regcache-r-exported'), await stamp('regcache-h-exported')]
    expect(theirs).toMatch(/^\d+$/)
    expect(ours).not.toBe(theirs)
    expect(await stamp('regcache-h-imported')).toBe(theirs)
    expect(await stamp('regcache-r-imported')).toBe(ours)
  }, 600_000)
})
