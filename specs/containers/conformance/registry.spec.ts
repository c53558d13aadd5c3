import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { referenceCompose, runReference } from '../../../harness/conformance/reference-compose.js'
import { connectEngine } from '../../../harness/runtime/engine/engine.js'
import { runCli } from '../../support/cli.js'
import { startRegistry, type Registry } from '../support/registry.js'
import { uniqueProjectName } from '../support/test-projects.js'

// eslint-disable-next-line no-control-regex
const plain = (text: string): string => text.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '')

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

type Run = (args: readonly string[]) => Promise<{ code: number; stdout: string; stderr: string }>

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
    if (!registry) return
    const docker = (await connectEngine()).container.dockerode
    // By tag, never by ID: the probe's tags share their image with compose-harness-probe.
    const tags = (await docker.listImages())
      .flatMap((i) => i.RepoTags ?? [])
      .filter((t) => t.startsWith(`${registry.address}/`))
    await Promise.allSettled(tags.map((t) => docker.getImage(t).remove()))
    await registry[Symbol.asyncDispose]()
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
