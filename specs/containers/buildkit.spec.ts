import { spawn, spawnSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, inject, it } from 'vitest'
import { Compose, ServiceStartError } from '../../harness/index.js'
import { connectEngine } from '../../harness/runtime/engine/engine.js'
import { older } from '../../harness/runtime/create/engine-limits.js'
import { removeDanglingImages } from '../../harness/runtime/images/throwaway-images.js'
import { runCli } from '../support/cli.js'
import { referenceCompose, runReference } from '../../harness/conformance/reference-compose.js'
import { eventually } from '../support/eventually.js'
import { imageExists, leftOf } from './support/observe.js'
import { uniqueProjectName } from './support/test-projects.js'

// Builds go through the engine's BuildKit, as Compose v2's do: what only BuildKit builds works, its
// progress names each step, and a failure names its step with that step's own output.
const DIR = resolve('fixtures/buildkit')

/** `args` run by the harness (h) or by Compose v2 (r), with `env` over this process's environment. */
function byTool(tool: 'h' | 'r', args: readonly string[], env: NodeJS.ProcessEnv) {
  return tool === 'h'
    ? runCli([...args], { env })
    : runReference(referenceCompose(), [...args], { env: { ...process.env, ...env } })
}

/** `up` of the fixture's app, and what its container says of the build: the lines of `cat FILE` for each file. */
async function built(project: string, files: readonly string[]): Promise<string[]> {
  const compose = Compose.fromFiles(resolve(DIR, 'compose.yml'))
    .withProjectName(project)
    .withEnvironment({ NONCE: randomBytes(4).toString('hex') })
  await compose.build('always')
  await using started = await compose.up()
  const seen: string[] = []
  for (const file of files) {
    const run = await started.service('app').exec(['cat', file])
    expect(run.exitCode, run.stderr).toBe(0)
    seen.push(run.stdout.trim())
  }
  const mode = await started.service('app').exec(['stat', '-c', '%a %u:%g', '/usr/local/bin/tool.sh'])
  seen.push(mode.stdout.trim(), (await started.service('app').exec(['tool.sh'])).stdout.trim())
  return seen
}

describe.skipIf(!inject('engineReady'))('builds with BuildKit, as Compose v2 does', () => {
  it('mounts a cache and the context in RUN, copies with --chmod and --chown, and builds only the target stage', async () => {
    const project = uniqueProjectName('buildkit')
    const [first, ...rest] = await built(project, ['/builds-seen', '/copied.txt', '/stage'])
    expect(rest).toEqual(['from the build context', 'the tested stage', '750 1000:1000', 'tool ran'])
    // A new NONCE runs the step again, and the cache mount still holds what the previous build left.
    const [second] = await built(project, ['/builds-seen'])
    expect(Number(second)).toBe(Number(first) + 1)
    expect(await leftOf(project)).toEqual([])
  }, 180_000)

  it('gives the build its secrets, from a file and from a variable, through a session of its own; no layer keeps them', async () => {
    const project = uniqueProjectName('buildkit-secrets')
    const key = `key-${randomBytes(6).toString('hex')}`
    const compose = Compose.fromFiles(resolve(DIR, 'secrets.yml'))
      .withProjectName(project)
      .withEnvironment({ BUILD_SECRET_KEY: key })
    await compose.build('always')
    await using started = await compose.up()
    const app = started.service('app')
    const digest = (text: string) => createHash('sha256').update(text).digest('hex')
    expect((await app.exec(['cat', '/token-length'])).stdout.trim()).toBe('11')
    expect((await app.exec(['cat', '/token-digest'])).stdout.trim()).toBe(digest('from-a-file'))
    expect((await app.exec(['cat', '/key-digest'])).stdout.trim()).toBe(digest(key))
    for (const file of ['/run/secrets/token', '/run/secrets/key'])
      expect((await app.exec(['test', '-e', file])).exitCode).not.toBe(0)
    const history = JSON.stringify(
      await (await connectEngine()).container.dockerode.getImage('compose-harness-buildkit-secrets').history(),
    )
    expect(history).not.toContain(key)
    expect(history).not.toContain('from-a-file')
  })

  it('keeps its session through a build longer than the engine’s health checks of it', async () => {
    const project = uniqueProjectName('buildkit-long')
    const build = await runCli(['-f', resolve(DIR, 'long.yml'), '-p', project, 'build'], {
      env: { NONCE: randomBytes(4).toString('hex') },
    })
    expect(build.code, build.stderr).toBe(0)
    const image = await (await connectEngine()).container.dockerode.getImage('compose-harness-buildkit-long').inspect()
    expect(image.Config.Labels?.['com.docker.compose.project']).toBe(project)
  }, 120_000)

  it('refuses a build secret whose variable is not set, before anything is built', async () => {
    const compose = Compose.fromFiles(resolve(DIR, 'secrets.yml'))
      .withProjectName(uniqueProjectName('buildkit-unset'))
      .withEnvironment({ BUILD_SECRET_KEY: undefined })
    await expect(compose.up()).rejects.toThrow(
      /services\.app\.build\.secrets\[1\]: secrets\.api_key comes from the environment variable BUILD_SECRET_KEY, which is not set/,
    )
  })

  it('forwards the ssh agents build.ssh names: the one SSH_AUTH_SOCK names, and key files served as Compose v2 serves them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'buildkit-ssh-'))
    const comment = `agent-key-${randomBytes(4).toString('hex')}`
    for (const [name, said] of [
      ['agent', comment],
      ['deploy', 'deploy-key'],
    ])
      expect(
        spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', said!, '-f', join(dir, name!)]).status,
      ).toBe(0)
    const socket = join(dir, 'agent.sock')
    const agent = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' })
    try {
      expect(await eventually(async () => existsSync(socket), Boolean, 5_000, 20)).toBe(true)
      expect(
        spawnSync('ssh-add', ['-q', join(dir, 'agent')], { env: { ...process.env, SSH_AUTH_SOCK: socket } }).status,
      ).toBe(0)
      const project = uniqueProjectName('buildkit-ssh')
      const env = { SSH_AUTH_SOCK: socket, DEPLOY_KEY: join(dir, 'deploy') }
      const build = await runCli(['-f', resolve(DIR, 'ssh.yml'), '-p', project, 'build'], { env })
      expect(build.code, build.stderr).toBe(0)
      const compose = Compose.fromFiles(resolve(DIR, 'ssh.yml')).withProjectName(project).withEnvironment(env)
      await using started = await compose.up({ build: 'never' })
      const app = started.service('app')
      expect((await app.exec(['cat', '/default-keys'])).stdout).toBe(`${comment}\n`)
      // One key, listed without its comment, as Compose v2's own agent lists the keys of key files.
      expect((await app.exec(['cat', '/deploy-keys'])).stdout).toBe('\n')
      // Without SSH_AUTH_SOCK, `default` names no agent: said before anything is built.
      const unset = await runCli(['-f', resolve(DIR, 'ssh.yml'), '-p', project, 'build'], {
        env: { ...env, SSH_AUTH_SOCK: '' },
      })
      expect(unset.code).toBe(1)
      expect(unset.stderr).toContain(
        'build.ssh "default" is the ssh agent SSH_AUTH_SOCK names, and SSH_AUTH_SOCK is not set',
      )
    } finally {
      agent.kill()
    }
  })

  it('takes --ssh ID=PATH (from the current directory), --with-dependencies, -q, --memory and --push', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'buildkit-flags-'))
    expect(spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'deploy')]).status).toBe(0)
    const project = uniqueProjectName('buildkit-flags')
    const file = resolve(DIR, 'build-flags.yml')
    const images = ['compose-harness-buildkit-flags-base', '127.0.0.1:9/compose-harness-buildkit-flags-app']
    const docker = (await connectEngine()).container.dockerode
    try {
      // Without --with-dependencies, app alone; without --ssh, its ssh mount has no agent.
      const alone = await runCli(['-f', file, '-p', project, 'build', 'app'])
      expect(alone.code).toBe(1)
      expect(await imageExists(images[0]!)).toBe(false)
      const built = await runCli(
        [
          '-f',
          file,
          '-p',
          project,
          'build',
          '-q',
          '-m',
          '512m',
          '--with-dependencies',
          '--ssh',
          'deploy=deploy',
          'app',
        ],
        { cwd: dir },
      )
      expect(built.code, built.stderr).toBe(0)
      expect(built.stderr).toContain('WARNING: --memory is not supported by BuildKit and will be ignored')
      // -q: no build steps shown.
      expect(built.stderr).not.toMatch(/Building|Built/)
      expect(await Promise.all(images.map(imageExists))).toEqual([true, true])
      const listed = await runCli(['-f', file, '-p', project, 'run', '--rm', '--no-deps', 'app', 'cat', '/deploy-keys'])
      expect(listed.stdout).toBe('\n')
      // What the engine's own builder cannot do is refused, with Compose v2's reason and exit code.
      for (const flags of [
        ['--builder', 'nosuch'],
        ['--sbom=true'],
        ['--provenance', 'mode=max'],
        ['--provenance=false'],
      ]) {
        const args = ['-f', file, '-p', project, 'build', ...flags, 'base']
        const [ours, theirs] = await Promise.all([runCli(args), runReference(referenceCompose(), args)])
        expect([ours.code, theirs.code], flags.join(' ')).toEqual([1, 1])
        expect(theirs.stderr.split('\n').at(-2)).toBe(
          ours.stderr
            .split('\n')
            .at(-2)
            ?.replace(/: compose-harness.*$/, ''),
        )
      }
      // --push: built, then pushed, and no registry answers at 127.0.0.1:9.
      const refused = await runCli(['-f', file, '-p', project, 'build', '--ssh', 'deploy=deploy', '--push', 'app'], {
        cwd: dir,
      })
      expect(refused.code).toBe(1)
      expect(refused.stderr).toMatch(
        /app: image "127\.0\.0\.1:9\/compose-harness-buildkit-flags-app" could not be pushed/,
      )
    } finally {
      await runCli(['-f', file, '-p', project, 'down', '--rmi', 'all'])
      await Promise.allSettled(images.map((image) => docker.getImage(image).remove()))
      // The build of app again left its first image untagged.
      await removeDanglingImages(await connectEngine(), project)
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it("names the failing step, BuildKit's reason and that step's own output", async () => {
    const project = uniqueProjectName('buildkit-fails')
    const compose = Compose.fromFiles(resolve(DIR, 'failing.yml')).withProjectName(project)
    const error = await compose.up().then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(ServiceStartError)
    expect((error as Error).message).toMatch(
      /^service "app" failed at build: \[[^\]]*3\/3\] RUN echo "compiling with BuildKit" && exit 3\n.*exit code: 3\nbuild output:\n {2}compiling with BuildKit$/,
    )
    expect(await leftOf(project)).toEqual([])
  })

  it('says which frontend image a `# syntax=` line names when it cannot be had', async () => {
    const project = uniqueProjectName('buildkit-syntax')
    const build = await runCli(['-f', resolve(DIR, 'syntax.yml'), '-p', project, 'build'])
    expect(build.code).toBe(1)
    expect(build.stderr).toMatch(
      /service "app" failed at build: .*\nthe Dockerfile's `# syntax=docker\/dockerfile:1\.99` line asks for that frontend image, which could not be pulled: /,
    )
  })

  it('refuses a build for several platforms as Compose v2 does, before anything is built, and runs its image when it is there', async () => {
    const base = uniqueProjectName('buildkit-platforms')
    const file = resolve(DIR, 'platforms.yml')
    const images = ['compose-harness-buildkit-platforms-one', 'compose-harness-buildkit-platforms']
    const docker = (await connectEngine()).container.dockerode
    const ours = (...args: string[]) => runCli(['-f', file, '-p', `${base}-h`, ...args])
    const theirs = (...args: string[]) => runReference(referenceCompose(), ['-f', file, '-p', `${base}-r`, ...args])
    const lastLines = (stderr: string) => stderr.trim().split('\n').slice(-3)
    try {
      const [h, r] = await Promise.all([ours('build'), theirs('build')])
      expect([h.code, r.code]).toEqual([1, 1])
      expect(lastLines(h.stderr)).toEqual(lastLines(r.stderr))
      expect(lastLines(h.stderr)[0]).toBe('Multi-platform build is not supported for the docker driver.')
      expect(await Promise.all(images.map(imageExists))).toEqual([false, false])
      // The image there, `up` has nothing to build: both tools run it.
      await docker.getImage('compose-harness-probe').tag({ repo: images[1]! })
      const [hUp, rUp] = await Promise.all([ours('up', '-d', 'multi'), theirs('up', '-d', 'multi')])
      expect([hUp.code, rUp.code], hUp.stderr + rUp.stderr).toEqual([0, 0])
      expect(await imageExists(images[0]!)).toBe(false)
    } finally {
      await Promise.all([ours('down', '-t', '0'), theirs('down', '-t', '0')])
      await Promise.allSettled(images.map((image) => docker.getImage(image).remove()))
    }
    expect([...(await leftOf(`${base}-h`)), ...(await leftOf(`${base}-r`))]).toEqual([])
  })

  it('shows a build under --progress plain as Compose v2 does: BuildKit’s own printer, each step with its service, its output and how it ended', async () => {
    const file = resolve(DIR, 'plain.yml')
    const base = uniqueProjectName('buildkit-plain')
    const docker = (await connectEngine()).container.dockerode
    const run = (tool: 'h' | 'r') => {
      const args = ['-f', file, '-p', `${base}-${tool}`, '--progress', 'plain', 'build', '--no-cache']
      const env = { IMAGE: `${base}-${tool}` }
      return byTool(tool, args, env)
    }
    /** Each step as shown, by name (steps that run at once start in either order): its output lines and how it ended, times and sizes left out (they differ from run to run). */
    const steps = (stderr: string) => {
      const shown = new Map<string, { name: string; lines: string[] }>()
      for (const line of stderr.split('\n')) {
        const [, n, rest] = /^#(\d+) (.*)$/.exec(line) ?? []
        if (n === undefined || rest === undefined || rest === '...') continue
        const step = shown.get(n) ?? { name: rest, lines: [] }
        if (shown.has(n) && rest !== step.name)
          step.lines.push(
            rest
              .replace(/^\d+\.\d+ /, '')
              .replace(/ \d+(\.\d+)?[kMG]?B/g, ' SIZE')
              .replace(/ \d+\.\ds/g, '')
              .replace(/sha256:[0-9a-f]{64}/g, 'sha256:ID')
              .replace(new RegExp(`${base}-[hr]`, 'g'), 'IMAGE')
              // Docker 24 on names the image with its tag through its build API: divergence build-api-step-details.
              .replace(/IMAGE:latest/, 'IMAGE'),
          )
        shown.set(n, step)
      }
      // A transfer caught by a tick before it was done shows twice, in either tool: its last line counts.
      const transfer = (l: string) => l.replace(/( SIZE.*)? done$/, '').replace(/ SIZE.*$/, '')
      for (const step of shown.values()) {
        const done = new Set(step.lines.filter((l) => l.endsWith(' done')).map(transfer))
        step.lines = step.lines.filter((l) => l.endsWith(' done') || !done.has(transfer(l)))
      }
      return [...shown.values()].sort((a, b) => a.name.localeCompare(b.name))
    }
    try {
      const ours = await run('h')
      const theirs = await run('r')
      expect([ours.code, theirs.code], ours.stderr + theirs.stderr).toEqual([0, 0])
      // BuildKit's lines on standard output, as v2 writes them; `app  Built` on standard error.
      // The same steps, the same lines; a step's last line (DONE, CACHED) where both show one: the
      // reference now and then leaves it out of a step it saw start (its printer's ticks).
      // buildx's own step after the build on an engine with BuildKit's history API (Docker 24 on) is not the harness's: divergence no-provenance-record-step.
      const buildxOwn = (step: { name: string }) => step.name !== '[app] resolving provenance for metadata file'
      const [mine, reference] = [steps(ours.stdout), steps(theirs.stdout).filter(buildxOwn)]
      const ended = (step: { lines: string[] }, other: { lines: string[] } | undefined) =>
        /^(DONE|CACHED)$/.test(step.lines.at(-1) ?? '') && other?.lines.length === step.lines.length - 1
          ? step.lines.slice(0, -1)
          : step.lines
      expect(mine.map((s) => s.name)).toEqual(reference.map((s) => s.name))
      // The base image's step under --no-cache: Docker 24 on finds it cached in buildx's solve and
      // does it again in its build API's (the harness's); the same image either way (divergence build-api-step-details).
      const baseImage = (lines: string[], name: string) =>
        / FROM /.test(name) ? lines.map((l) => (l === 'CACHED' ? 'DONE' : l)) : lines
      for (const [i, step] of mine.entries())
        expect(baseImage(ended(step, reference[i]), step.name), step.name).toEqual(
          baseImage(ended(reference[i]!, step), step.name),
        )
      // The stage's name is in its steps' from BuildKit 0.9 on (Docker 20.10's is 0.8).
      const echoStep = /^\[app (base )?2\/2\] RUN echo first line && echo second line$/
      expect(steps(ours.stdout).find((s) => echoStep.test(s.name))?.lines).toEqual([
        'first line',
        'second line',
        'DONE',
      ])
      // The lint check's warning, on an engine whose BuildKit runs them (Docker 27 on): its step's
      // lines above are the reference's, this says they hold it.
      const { ApiVersion } = await docker.version()
      const warned = (stdout: string) =>
        stdout.includes("WARN: FromAsCasing: 'as' and 'FROM' keywords' casing do not match (line 1)")
      expect([warned(ours.stdout), warned(theirs.stdout)]).toEqual(Array(2).fill(!older(ApiVersion, '1.46')))
      expect(ours.stdout.split('\n')[0]).toBe('#0 building with "default" instance using docker driver')
      expect(ours.stderr.trimEnd().split('\n').at(-1)).toBe(' app  Built')
      expect(theirs.stderr.trimEnd().split('\n').at(-1)).toBe(' app  Built')
      // Under json: BuildKit's status as Go's JSON has it, on standard output; the same steps and output.
      const json = (tool: 'h' | 'r') => {
        const args = ['-f', file, '-p', `${base}-${tool}`, '--progress', 'json', 'build', '--no-cache']
        const env = { IMAGE: `${base}-${tool}` }
        return byTool(tool, args, env)
      }
      /** The steps named, and the output each wrote, from the JSON lines. */
      const written = (stdout: string) => {
        const names = new Map<string, string>()
        const output: string[] = []
        const warnings: string[] = []
        for (const line of stdout.split('\n').filter((l) => l.startsWith('{'))) {
          const status = JSON.parse(line) as {
            vertexes?: { digest: string; name: string }[]
            logs?: { vertex: string; data: string }[]
            warnings?: ({ vertex: string } & Record<string, unknown>)[]
          }
          for (const v of status.vertexes ?? []) names.set(v.digest, v.name)
          // A warning whole, but for what names this build's session: its step by name, its
          // definition's digests and the session's id (in its first op).
          for (const { vertex, sourceInfo, ...rest } of status.warnings ?? []) {
            const { definition, ...info } = (sourceInfo ?? {}) as { definition?: { def?: string[]; metadata?: object } }
            const metadata = Object.values(definition?.metadata ?? {}).map((m) => JSON.stringify(m))
            warnings.push(
              JSON.stringify({
                step: names.get(vertex),
                ...rest,
                info,
                ops: definition?.def?.length,
                metadata: metadata.sort(),
              }),
            )
          }
          // Lines come one a message or several in one, as BuildKit sends them.
          for (const l of status.logs ?? [])
            for (const text of Buffer.from(l.data, 'base64').toString().trim().split('\n'))
              output.push(`${names.get(l.vertex)}: ${text}`)
        }
        const named = [...new Set(names.values())].filter((name) => buildxOwn({ name }))
        return { names: named.sort(), output: output.sort(), warnings: warnings.sort() }
      }
      const [ourJson, theirJson] = [await json('h'), await json('r')]
      expect([ourJson.code, theirJson.code], ourJson.stderr + theirJson.stderr).toEqual([0, 0])
      expect(written(ourJson.stdout)).toEqual(written(theirJson.stdout))
      expect(written(ourJson.stdout).output.some((l) => /^\[app (base )?2\/2\] RUN .*: first line$/.test(l))).toBe(true)
      expect(written(ourJson.stdout).warnings).toHaveLength(older(ApiVersion, '1.46') ? 0 : 1)
      expect(ourJson.stderr.trimEnd().split('\n').at(-1)).toBe('{"id":"app","status":"Built"}')
      // A dry run writes and names the image as v2's shows it, and builds nothing.
      const dry = (tool: 'h' | 'r') => {
        const args = ['-f', file, '-p', `${base}-dry`, '--dry-run', '--progress', 'plain', 'build']
        const env = { IMAGE: `${base}-dry` }
        return byTool(tool, args, env)
      }
      const progress = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith(' DRY-RUN MODE - '))
      const [ourDry, theirDry] = await Promise.all([dry('h'), dry('r')])
      if (process.env.DOCKER_TLS_VERIFY) {
        // On an engine served over TLS (the matrix's 28.5), v2's dry run fails: divergence dry-run-build-over-tls.
        expect(theirDry.stderr).toContain('Client sent an HTTP request to an HTTPS server')
        expect(progress(ourDry.stderr)).toEqual([
          expect.stringMatching(/^ DRY-RUN MODE - {2}app ==> ==> writing image dryRun-[0-9a-f]+ $/),
          ` DRY-RUN MODE -  app ==> ==> naming to ${base}-dry `,
          ' DRY-RUN MODE -  app  Built',
        ])
      } else expect(progress(ourDry.stderr)).toEqual(progress(theirDry.stderr))
      expect(progress(ourDry.stderr)).toHaveLength(3)
      expect(await imageExists(`${base}-dry`)).toBe(false)
    } finally {
      await Promise.allSettled(['h', 'r'].map((tool) => docker.getImage(`${base}-${tool}`).remove()))
    }
  })

  it('hands a cache of a CI service’s or a bucket’s kind to BuildKit as Compose v2 does, which builds without the one it cannot import', async () => {
    const file = resolve(DIR, 'other-caches.yml')
    const base = uniqueProjectName('buildkit-caches')
    const docker = (await connectEngine()).container.dockerode
    // Neither the Actions runtime's variables nor AWS's, whatever the machine has.
    const unset = [
      'ACTIONS_RUNTIME_TOKEN',
      'ACTIONS_CACHE_URL',
      'ACTIONS_RESULTS_URL',
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
    ]
    const env = (image: string) => ({ ...Object.fromEntries(unset.map((k) => [k, undefined])), IMAGE: image })
    const images = [`${base}-h`, `${base}-r`]
    try {
      const [h, r] = await Promise.all([
        runCli(['-f', file, '-p', images[0]!, '--progress', 'plain', 'build'], { env: env(images[0]!) }),
        runReference(referenceCompose(), ['-f', file, '-p', images[1]!, '--progress', 'plain', 'build'], {
          env: { ...process.env, ...env(images[1]!) },
        }),
      ])
      expect([h.code, r.code], h.stderr + r.stderr).toEqual([0, 0])
      const imported = (output: string) => [...new Set(output.match(/importing cache manifest from \w+/g) ?? [])].sort()
      expect(imported(h.stdout + h.stderr)).toEqual(imported(r.stdout + r.stderr))
      // gha has no token here; s3 reaches BuildKit where it announces it (Docker 24 on, API 1.43). Neither engine imports s3 nor azblob.
      const { ApiVersion } = await docker.version()
      const s3 = Number(ApiVersion.split('.')[1]) >= 43 ? ['importing cache manifest from s3'] : []
      expect(imported(h.stdout + h.stderr)).toEqual(['importing cache manifest from azblob', ...s3])
      expect(h.stdout + h.stderr).toMatch(/unknown cache importer: azblob/)
      expect(await Promise.all(images.map(imageExists))).toEqual([true, true])
    } finally {
      await Promise.allSettled(images.map((image) => docker.getImage(image).remove()))
    }
  })

  it('reads a provenance the file asks for in `build`, not in `up`, as Compose v2 does: this engine refuses it to both', async () => {
    const file = resolve(DIR, 'attested.yml')
    const base = uniqueProjectName('buildkit-attested')
    const docker = (await connectEngine()).container.dockerode
    const run = (tool: 'h' | 'r', ...args: string[]) => {
      const all = ['-f', file, '-p', `${base}-${tool}`, ...args]
      const env = { IMAGE: `${base}-${tool}` }
      return byTool(tool, all, env)
    }
    try {
      const [h, r] = await Promise.all([run('h', 'build'), run('r', 'build')])
      expect([h.code, r.code]).toEqual([1, 1])
      expect(h.stderr.trim().split('\n').slice(-3)).toEqual(r.stderr.trim().split('\n').slice(-3))
      expect(h.stderr).toContain('Attestation is not supported for the docker driver.')
      const [hUp, rUp] = await Promise.all([run('h', 'up', '-d'), run('r', 'up', '-d')])
      expect([hUp.code, rUp.code], hUp.stderr + rUp.stderr).toEqual([0, 0])
    } finally {
      await Promise.all([run('h', 'down', '-t', '0'), run('r', 'down', '-t', '0')])
      await Promise.allSettled([`${base}-h`, `${base}-r`].map((image) => docker.getImage(image).remove()))
    }
    expect([...(await leftOf(`${base}-h`)), ...(await leftOf(`${base}-r`))]).toEqual([])
  })

  it('gives the classic builder what Compose v2 gives it, and refuses in v2’s words what it cannot build', async () => {
    const file = resolve(DIR, 'classic/compose.yml')
    const base = uniqueProjectName('buildkit-classic')
    const docker = (await connectEngine()).container.dockerode
    const firstBuilds: string[] = []
    const run = (tool: 'h' | 'r', service: string) => {
      const args = ['-f', file, '-p', `${base}-${tool}`, 'build', service]
      const env = { IMAGE: `${base}-${tool}`, DOCKER_BUILDKIT: '0' }
      return byTool(tool, args, env)
    }
    try {
      const built = await Promise.all([run('h', 'ignored'), run('r', 'ignored')])
      expect(
        built.map((b) => b.code),
        built.map((b) => b.stderr).join(''),
      ).toEqual([0, 0])
      // The same labels as v2 gives the classic builder's images: its own, and none of the project's.
      const inspected = (tool: string) => docker.getImage(`${base}-${tool}-ignored`).inspect()
      firstBuilds.push(...(await Promise.all(['h', 'r'].map(async (tool) => (await inspected(tool)).Id))))
      const labels = async (tool: string) => (await inspected(tool)).Config.Labels
      expect(await labels('h')).toEqual(await labels('r'))
      expect(await labels('h')).toEqual(expect.objectContaining({ 'com.docker.compose.image.builder': 'classic' }))
      // Under plain, the builder's whole output on standard output as v2 prints it, one tool after
      // the other (no step of one found in the other's cache): ids, sizes and names aside.
      const plain = async (tool: 'h' | 'r') => {
        const args = ['-f', file, '-p', `${base}-${tool}`, '--progress', 'plain', 'build', '--no-cache', 'ignored']
        const { code, stdout } = await byTool(tool, args, { IMAGE: `${base}-${tool}`, DOCKER_BUILDKIT: '0' })
        expect(code).toBe(0)
        return stdout
          .replace(/\b[0-9a-f]{12}\b/g, 'ID')
          .replace(/(Sending build context to Docker daemon) +[\d.]+[kMG]?B/, '$1 SIZE')
          .replace(new RegExp(`${base}-[hr]`, 'g'), 'IMAGE')
      }
      const [ours, theirs] = [await plain('h'), await plain('r')]
      expect(ours).toEqual(theirs)
      expect(ours).toMatch(
        /^Sending build context to Docker daemon SIZE\r\r\nStep 1\/3 : FROM debian:bookworm\n ---> ID\n/,
      )
      // dockerfile_inline: the harness builds it; Compose 2.40's classic builder builds the directory's Dockerfile.
      const inline = await Promise.all([run('h', 'inline'), run('r', 'inline')])
      expect(inline.map((b) => b.code)).toEqual([0, 0])
      const label = async (tool: string) =>
        (await docker.getImage(`${base}-${tool}-inline`).inspect()).Config.Labels?.built
      expect([await label('h'), await label('r')]).toEqual(['inline', 'dockerfile'])
      for (const service of ['multi', 'privileged', 'contexts', 'secret']) {
        const [h, r] = await Promise.all([run('h', service), run('r', service)])
        expect([h.code, r.code], service).toEqual([1, 1])
        const reason = r.stderr.trim().split('\n').at(-1)!
        expect(reason).toMatch(/^the classic builder doesn't support .*, set DOCKER_BUILDKIT=1 to use BuildKit$/)
        expect(h.stderr, service).toContain(reason)
      }
    } finally {
      const images = ['h', 'r'].flatMap((tool) => ['ignored', 'inline'].map((service) => `${base}-${tool}-${service}`))
      // The first builds of `ignored`, which the plain ones left without a tag (they carry no label to be found by).
      images.push(...firstBuilds)
      await Promise.allSettled(images.map((image) => docker.getImage(image).remove()))
    }
  })

  it('builds with the classic builder under DOCKER_BUILDKIT=0, as Compose v2 does, which refuses RUN --mount', async () => {
    const project = uniqueProjectName('buildkit-off')
    const build = await runCli(['-f', resolve(DIR, 'failing.yml'), '-p', project, 'build'], {
      env: { DOCKER_BUILDKIT: '0' },
    })
    expect(build.code).toBe(1)
    expect(build.stderr).toMatch(
      // The classic builder counts the labels Compose v2 gives the image as steps of their own.
      /Step 2\/\d+ : RUN --mount=type=cache,target=\/cache .*\n.*the --mount option requires BuildKit/,
    )
  })
})
