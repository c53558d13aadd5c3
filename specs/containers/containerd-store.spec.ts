import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { referenceCompose, runReference } from '../../harness/conformance/reference-compose.js'
import { runCli } from '../support/cli.js'
import { dockerInDockerOrWhyNot, remoteEnvironment, type RemoteEngine } from './support/docker-in-docker.js'

// Builds on an engine whose images are in containerd's image store (Docker 28.5 started so, in a
// container of this machine's engine), as Compose v2 (buildx's docker driver) builds them there:
// `build.platforms` naming several into one image, and every image with buildx's default
// provenance. This machine's engine refuses several platforms to both (buildkit.spec.ts). There,
// too, Compose v2 writes a build cache into a local directory, which both tools then build from.
const FILE = resolve('fixtures/buildkit/platforms/compose.yml')
const CACHE_FILE = resolve('fixtures/buildkit/local-cache/compose.yml')

let remote: RemoteEngine | undefined
let unavailable = ''

interface ImageSummary {
  readonly RepoTags?: string[]
  readonly Manifests?: { Kind: string; ImageData?: { Platform?: { os: string; architecture: string } } }[]
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

  it('builds from a local cache as Compose v2 does: a step a cache_to: type=local wrote is taken, not run again', async (context) => {
    if (!remote) context.skip(unavailable)
    const docker = remote!.docker
    const dir = mkdtempSync(join(tmpdir(), 'local-cache-'))
    const env = (image: string) => ({ ...remoteEnvironment(remote!), IMAGE: image, CACHE_DIR: dir })
    const ours = (...args: string[]) =>
      runCli(['-f', CACHE_FILE, '-p', 'cache-h', ...args], { env: env('cache-h'), timeoutMs: 240_000 })
    const theirs = (...args: string[]) =>
      runReference(referenceCompose(), ['-f', CACHE_FILE, '-p', 'cache-r', ...args], {
        env: { ...process.env, ...env('cache-r') },
        timeoutMs: 240_000,
      })
    /** What the image's step wrote when it ran. */
    const stamp = async (image: string): Promise<string> => {
      const container = await docker.createContainer({ Image: image, Cmd: ['cat', '/stamp'] })
      await container.start()
      await container.wait()
      const out = await container.logs({ stdout: true })
      await container.remove()
      return out.subarray(8).toString().trim()
    }
    /** The engine's build cache emptied, so that only an import brings the step back. */
    const forget = () => docker.pruneBuilder({ all: true } as object)
    try {
      const exported = await theirs('build', 'exported')
      expect(exported.code, exported.stderr).toBe(0)
      const written = await stamp('cache-r-exported')
      expect(written).toMatch(/^\d+$/)
      for (const build of [
        () => ours('build', 'imported'),
        () => theirs('build', 'imported'),
        () => ours('build', 'uncached'),
      ]) {
        await forget()
        const run = await build()
        expect(run.code, run.stderr).toBe(0)
      }
      expect(await stamp('cache-h-imported')).toBe(written)
      expect(await stamp('cache-r-imported')).toBe(written)
      expect(await stamp('cache-h-uncached')).not.toBe(written)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 600_000)
})
