import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type Dockerode from 'dockerode'
import { referenceCompose, runReference } from '../../../harness/conformance/reference-compose.js'
import { listTar } from '../../../harness/conformance/tar-listing.js'
import { connectEngine } from '../../../harness/runtime/engine/engine.js'
import { plain, runCli } from '../../support/cli.js'
import { startRegistry, type Registry } from '../support/registry.js'
import { uniqueProjectName } from '../support/test-projects.js'

/** A service that builds its image (a layer of its own, `STAMP`) and names it with an extra tag, and one that only pulls. */
const COMPOSE = `services:
  app:
    build:
      context: .
      args: {STAMP: "\${STAMP}"}
      tags: ["\${REGISTRY}/\${REPO}/app:extra"]
    image: \${REGISTRY}/\${REPO}/app:1
  probe:
    image: \${REGISTRY}/\${REPO}/probe:1
`
const MISSING = `services:
  probe:
    image: \${REGISTRY}/\${REPO}/probe:nope
`

/**
 * Three builds of one Dockerfile: `seed` exports an inline cache with its image, `app` takes its
 * cache from that image in the registry, `plain` from nothing (the control).
 */
const CACHE = `services:
  seed:
    build: {context: ., dockerfile: Dockerfile.cache, cache_to: ["type=inline"]}
    image: \${REGISTRY}/\${REPO}/seed:1
  app:
    build: {context: ., dockerfile: Dockerfile.cache, cache_from: ["type=registry,ref=\${REGISTRY}/\${REPO}/seed:1"]}
    image: \${REGISTRY}/\${REPO}/app-\${TOOL}:1
  plain:
    build: {context: ., dockerfile: Dockerfile.cache}
    image: \${REGISTRY}/\${REPO}/plain:1
`

type Run = (args: readonly string[]) => Promise<{ code: number; stdout: string; stderr: string }>

/** The digest of a file's content in an image, read from a container made of it and never started. */
async function fileDigest(docker: Dockerode, image: string, path: string): Promise<string | undefined> {
  const container = await docker.createContainer({ Image: image, Entrypoint: ['/nonexistent'] })
  try {
    const entries = await listTar(await container.getArchive({ path }))
    return entries[0]?.content
  } finally {
    await container.remove({ force: true, v: true })
  }
}

/**
 * Removes from the engine's build cache the records whose step names `token` (none of anyone
 * else's: the token is this run's own), so that the next build of that step finds no cache here.
 */
async function forgetSteps(docker: Dockerode, token: string): Promise<number> {
  const { BuildCache } = (await docker.df()) as { BuildCache?: { ID: string; Description?: string }[] }
  const ours = (BuildCache ?? []).filter((r) => r.Description?.includes(token))
  // dockerode's pruneBuilder sends no filters: the engine's API is asked directly. `all`: a record
  // of a step that an image holds counts as shared, which a prune otherwise keeps.
  for (const { ID } of ours)
    await new Promise<void>((done, fail) =>
      docker.modem.dial(
        {
          path: '/build/prune?',
          method: 'POST',
          options: { all: true, filters: { id: [ID] } },
          statusCodes: { 200: true },
        },
        (error) => (error ? fail(error) : done()),
      ),
    )
  return ours.length
}

/** A layer's steps whose count is the time it took (a line each time its progress moves). */
const TIMED = /: <layer> (Pushing|Waiting|Downloading|Extracting|Verifying Checksum)$/
/** How a layer's push ends; which one a layer gets is a race between the tags pushed at once, in both tools. */
const PUSHED = /: <layer> (Pushed|Layer already exists|Mounted from \S+)$/

/**
 * What a pull or push showed, made comparable between the two tools: each line of progress with
 * the repository and the layers' digests neutral, without its progress bar, the timed steps left
 * out and a layer's pushed end as one.
 */
function shown(output: string, repo: string): string[] {
  return plain(output)
    .split('\n')
    .filter((l) => l.startsWith(' ') && !/level=warn/.test(l))
    .map((l) =>
      l
        .replaceAll(repo, '<repo>')
        .replace(/\b[0-9a-f]{12}\b/g, '<layer>')
        .replace(/\s*\[[=> ]*\].*$/, '')
        .replace(/\s+\d+(\.\d+)?[kMG]?B(\/\d+(\.\d+)?[kMG]?B)?\s*$/, '')
        .trim()
        .replace(PUSHED, ': <layer> <pushed>'),
    )
    .filter((l) => !TIMED.test(l))
    .sort()
}

describe.skipIf(!inject('engineReady'))('push and pull with a real registry, against Compose v2', () => {
  let registry: Registry
  const dir = mkdtempSync(join(tmpdir(), 'conf-registry-'))
  writeFileSync(join(dir, 'Dockerfile'), 'FROM compose-harness-probe\nARG STAMP\nRUN echo "$STAMP" > /stamp\n')
  writeFileSync(join(dir, 'compose.yml'), COMPOSE)
  writeFileSync(join(dir, 'missing.yml'), MISSING)
  // A service that builds its image and names none (no digest to pin), and one whose image is in the registry.
  writeFileSync(
    join(dir, 'digests.yml'),
    'services:\n  app:\n    build: .\n  probe:\n    image: ${REGISTRY}/${REPO}/probe:1\n',
  )

  beforeAll(async () => {
    registry = await startRegistry()
  }, 600_000)

  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true })
    await registry?.[Symbol.asyncDispose]()
  })

  it('pushes and pulls what v2 does: the same services skipped, pushed and pulled, the same layers, the same tags', async () => {
    const base = uniqueProjectName('conf-reg')
    const docker = (await connectEngine()).container.dockerode
    const tools = {
      harness: { repo: `ch/${base}-h`, run: undefined as unknown as Run },
      reference: { repo: `ch/${base}-r`, run: undefined as unknown as Run },
    }
    for (const [name, tool] of Object.entries(tools)) {
      const env = { ...process.env, REGISTRY: registry.address, REPO: tool.repo, STAMP: `${base}-${name}` }
      const args = (a: readonly string[]) => ['-p', `${base}-${name[0]}`, '--project-directory', dir, ...a]
      tool.run =
        name === 'harness'
          ? (a) => runCli(args(a), { env, cwd: dir })
          : (a) => runReference(referenceCompose(), args(a), { env, cwd: dir })
      // The image `probe` pulls, in each tool's repository.
      await registry.pushProbe(tool.repo)
      expect((await tool.run(['build'])).code).toBe(0)
    }
    // Two tags of one image are pushed at once, by both tools: Debian's registry (distribution 2.8,
    // on its filesystem) now and then answers one of two uploads of the same layer with a 500. A
    // push that meets that race of the registry's is run again once, for either tool alike. The
    // engine reports it as v2 shows it (`HTTP status: 500`), or as an empty list of the registry's
    // errors (`errors:`, seen on Docker 26.1).
    const raced = (run: { code: number; stderr: string }) =>
      run.code !== 0 && (/HTTP status: 500/.test(run.stderr) || /: errors:\s*$/m.test(run.stderr))
    const once = async (run: Run, args: readonly string[]) => {
      const first = await run(args)
      return args[0] === 'push' && raced(first) ? run(args) : first
    }
    const both = async (args: readonly string[]) => {
      const [ours, theirs] = [await once(tools.harness.run, args), await once(tools.reference.run, args)]
      expect(ours.code, `${args.join(' ')}: ${ours.stderr}\n${theirs.stderr}`).toBe(theirs.code)
      return { ours, theirs }
    }

    const pushed = await both(['push'])
    expect(pushed.theirs.code).toBe(0)
    expect(shown(pushed.ours.stderr, tools.harness.repo)).toEqual(shown(pushed.theirs.stderr, tools.reference.repo))
    expect(shown(pushed.theirs.stderr, tools.reference.repo)).toContain('probe Skipped')
    for (const { repo } of Object.values(tools)) expect(await registry.tags(`${repo}/app`)).toEqual(['1', 'extra'])

    // Gone from the engine, the images come back from the registry.
    for (const { repo } of Object.values(tools))
      for (const image of [`${repo}/app:1`, `${repo}/app:extra`, `${repo}/probe:1`])
        await docker.getImage(`${registry.address}/${image}`).remove({ force: true })
    const pulled = await both(['pull'])
    expect(pulled.theirs.code).toBe(0)
    expect(shown(pulled.ours.stderr, tools.harness.repo)).toEqual(shown(pulled.theirs.stderr, tools.reference.repo))
    expect(shown(pulled.theirs.stderr, tools.reference.repo)).toEqual(
      expect.arrayContaining(['app Pulling', 'app Pulled', 'probe Pulling', 'probe Pulled']),
    )
    for (const { repo } of Object.values(tools))
      expect((await docker.getImage(`${registry.address}/${repo}/app:1`).inspect()).Id).toMatch(/^sha256:/)

    // A tag the registry does not have: both fail, and the harness names the service and the image.
    const missing = await both(['-f', 'missing.yml', 'pull'])
    expect(missing.theirs.code).toBe(1)
    expect(missing.ours.stderr).toMatch(/probe: image ".*probe:nope" could not be pulled/)
  }, 600_000)

  it('a registry cache as v2 takes it: cache_to inline goes with the pushed image, and cache_from type=registry brings its step back once the engine has lost it', async () => {
    const docker = (await connectEngine()).container.dockerode
    const base = uniqueProjectName('conf-cache')
    const repo = `ch/${base}`
    // A step whose result differs at each run: only a cache can give it again.
    writeFileSync(
      join(dir, 'Dockerfile.cache'),
      `FROM compose-harness-probe\nRUN echo "${base} $(date +%s%N)" > /stamp\n`,
    )
    writeFileSync(join(dir, 'cache.yml'), CACHE)
    const env = (tool: string) => ({ ...process.env, REGISTRY: registry.address, REPO: repo, TOOL: tool })
    const flags = ['-f', 'cache.yml', '--project-directory', dir]
    const args = (project: string, a: readonly string[]) => [...flags, '-p', project, ...a]
    const image = (name: string) => `${registry.address}/${repo}/${name}:1`
    try {
      for (const step of ['build', 'push']) {
        const seeded = await runCli(args(`${base}-s`, [step, 'seed']), { env: env('s'), cwd: dir })
        expect(seeded.code, seeded.stderr).toBe(0)
      }
      expect(Object.keys(await registry.imageConfig(`${repo}/seed`, '1'))).toContain('moby.buildkit.cache.v0')
      const seeded = await fileDigest(docker, image('seed'), '/stamp')
      await docker.getImage(image('seed')).remove()
      const tools: Record<string, Run> = {
        h: (a) => runCli(args(`${base}-h`, a), { env: env('h'), cwd: dir }),
        r: (a) => runReference(referenceCompose(), args(`${base}-r`, a), { env: env('r'), cwd: dir }),
      }
      for (const [tool, run] of Object.entries(tools)) {
        // The engine's own cache of the step is gone: only the registry's can bring it back.
        expect(await forgetSteps(docker, base)).toBeGreaterThan(0)
        const built = await run(['build', 'app'])
        expect(built.code, built.stderr).toBe(0)
        expect(await fileDigest(docker, image(`app-${tool}`), '/stamp'), tool).toBe(seeded)
      }
      // The control: without cache_from, the step runs again.
      await forgetSteps(docker, base)
      expect((await tools.h!(['build', 'plain'])).code).toBe(0)
      expect(await fileDigest(docker, image('plain'), '/stamp')).not.toBe(seeded)
    } finally {
      await forgetSteps(docker, base)
    }
  }, 300_000)

  it('config --resolve-image-digests and --lock-image-digests print what v2 prints, from the registry', async () => {
    const repo = `ch/${uniqueProjectName('conf-digest')}`
    await registry.pushProbe(repo)
    const env = { ...process.env, REGISTRY: registry.address, REPO: repo, STAMP: 'digest' }
    const args = (a: readonly string[]) => ['--project-directory', dir, ...a]
    const both = async (a: readonly string[]) => ({
      ours: await runCli(args(a), { env, cwd: dir }),
      theirs: await runReference(referenceCompose(), args(a), { env, cwd: dir }),
    })
    for (const flag of ['--resolve-image-digests', '--lock-image-digests']) {
      const { ours, theirs } = await both(['-f', 'digests.yml', 'config', flag])
      expect([ours.code, theirs.code], ours.stderr + theirs.stderr).toEqual([0, 0])
      expect(ours.stdout, flag).toBe(theirs.stdout)
      expect(theirs.stdout).toMatch(new RegExp(`image: ${registry.address}/${repo}/probe:1@sha256:[0-9a-f]{64}`))
    }
    // A tag the registry does not have: both fail; the harness names the service and the image.
    const missing = await both(['-f', 'missing.yml', 'config', '--resolve-image-digests'])
    expect([missing.ours.code, missing.theirs.code]).toEqual([1, 1])
    expect(missing.ours.stderr).toMatch(/service "probe": failed to resolve digest for .*probe:nope/)
  }, 300_000)
})
