import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { referenceCompose, runReference } from '../../harness/conformance/reference-compose.js'
import { runCli } from '../support/cli.js'
import { dockerInDockerOrWhyNot, remoteEnvironment, type RemoteEngine } from './support/docker-in-docker.js'

// Builds on an engine whose images are in containerd's image store (Docker 28.5 started so, in a
// container of this machine's engine), as Compose v2 (buildx's docker driver) builds them there:
// `build.platforms` naming several into one image, and every image with buildx's default
// provenance. This machine's engine refuses several platforms to both (buildkit.spec.ts).
const FILE = resolve('fixtures/buildkit/platforms/compose.yml')

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
})
