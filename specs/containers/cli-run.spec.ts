import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, inject, it } from 'vitest'
import { connectEngine } from '../../harness/runtime/engine/engine.js'
import { eventually } from '../support/eventually.js'
import { runCliSync, startCli } from '../support/cli.js'
import { leftOf } from './support/observe.js'
import { uniqueProjectName } from './support/test-projects.js'

// `run`, `create`, `cp`, `logs -t`, `pull` and `push`, through the CLI as a script runs them.
const FILE = resolve('fixtures/runtime/one-off/compose.yml')
const cliOf =
  (project: string) =>
  (args: string[], input = '') =>
    runCliSync(['-f', FILE, '-p', project, ...args], { input, timeoutMs: 90_000 })

async function oneOffs(project: string) {
  const docker = (await connectEngine()).container.dockerode
  return docker.listContainers({
    all: true,
    filters: { label: [`com.docker.compose.project=${project}`, 'com.docker.compose.oneoff=True'] },
  })
}

describe.skipIf(!inject('engineReady'))('the CLI runs one-off containers, creates, copies', () => {
  it('run: brings up the healthy dependency first, gives the command this input, exits with its code, and --rm leaves no one-off', async () => {
    const project = uniqueProjectName('run')
    const cli = cliOf(project)
    try {
      const run = cli(
        ['run', '--rm', '-e', 'EXTRA=1', 'app', 'sh', '-c', 'read line; echo "$GREETING $EXTRA $line"; exit 3'],
        'from stdin\n',
      )
      expect(run.code, run.stderr).toBe(3)
      expect(run.stdout).toBe('hello 1 from stdin\n')
      expect(await oneOffs(project)).toEqual([])
      // After SERVICE, --help is the command's own.
      expect(cli(['run', '--rm', 'app', 'sh', '-c', 'echo "$0"', '--help']).stdout).toBe('--help\n')
      const ps = JSON.parse(`[${cli(['ps', '--format', 'json']).stdout.trim().split('\n').join(',')}]`) as {
        Service: string
        Status: string
      }[]
      expect(ps.map((c) => c.Service)).toEqual(['db'])
      expect(ps[0]!.Status).toContain('(healthy)')
    } finally {
      cli(['down', '-t', '0'])
    }
    expect(await leftOf(project)).toEqual([])
  })

  it('run -d: a one-off named and labelled as Compose v2 names it, with no restart policy, port or alias, which down removes', async () => {
    const project = uniqueProjectName('run-detached')
    const cli = cliOf(project)
    try {
      const run = cli(['run', '-d', '--no-deps', 'app'])
      expect(run.code, run.stderr).toBe(0)
      const id = run.stdout.trim()
      expect(id).toMatch(/^[0-9a-f]{64}$/)
      const info = await (await connectEngine()).container.dockerode.getContainer(id).inspect()
      expect(info.Name).toMatch(new RegExp(`^/${project}-app-run-[0-9a-f]{12}$`))
      expect(info.Config.Labels['com.docker.compose.oneoff']).toBe('True')
      expect(info.Name.endsWith(info.Config.Labels['com.docker.compose.slug']!.slice(0, 12))).toBe(true)
      expect(info.HostConfig.RestartPolicy?.Name ?? '').toBe('')
      expect(info.HostConfig.PortBindings ?? {}).toEqual({})
      expect(info.NetworkSettings.Networks[`${project}_default`]!.Aliases).not.toContain('api')
      expect(info.State.Running).toBe(true)
      // --no-deps: db was not brought up.
      expect(await leftOf(project)).not.toContain(`/${project}-db-1`)
    } finally {
      cli(['down', '-t', '0'])
    }
    expect(await leftOf(project)).toEqual([])
  })

  it('run: a one-off whose CLI is killed is removed by its reaper; what it depends on stays', async () => {
    const project = uniqueProjectName('run-killed')
    const cli = cliOf(project)
    try {
      const run = startCli(['-f', FILE, '-p', project, 'run', 'app', 'sh', '-c', 'echo started; exec sleep 300'])
      await run.waitFor(/started/, 60_000)
      expect(await oneOffs(project)).toHaveLength(1)
      run.child.kill('SIGKILL')
      const left = await eventually(
        () => oneOffs(project),
        (l) => l.length === 0,
        30_000,
      )
      expect(left).toEqual([])
      expect(await leftOf(project)).toContain(`/${project}-db-1`)
    } finally {
      cli(['down', '-t', '0'])
    }
    expect(await leftOf(project)).toEqual([])
  })

  it('create makes the containers without starting them; cp copies both ways; logs -t shows when each line was written', async () => {
    const project = uniqueProjectName('create-cp')
    const cli = cliOf(project)
    const here = mkdtempSync(join(tmpdir(), 'compose-harness-cp-'))
    try {
      const create = cli(['--progress', 'plain', 'create'])
      expect(create.code, create.stderr).toBe(0)
      expect(create.stderr).toContain(` Container ${project}-app-1  Created`)
      const docker = (await connectEngine()).container.dockerode
      const states = await docker.listContainers({
        all: true,
        filters: { label: [`com.docker.compose.project=${project}`] },
      })
      expect(states.map((c) => c.State).sort()).toEqual(['created', 'created'])
      expect(cli(['up', '-d', '--wait']).code).toBe(0)
      writeFileSync(join(here, 'seed.txt'), 'seeded\n')
      mkdirSync(join(here, 'tree', 'sub'), { recursive: true })
      writeFileSync(join(here, 'tree', 'sub', 'leaf'), 'leaf\n')
      expect(cli(['cp', join(here, 'seed.txt'), 'app:/tmp/']).code).toBe(0)
      expect(cli(['cp', join(here, 'seed.txt'), 'app:/tmp/renamed.txt']).code).toBe(0)
      expect(cli(['cp', join(here, 'tree'), 'app:/tmp/']).code).toBe(0)
      const seen = cli(['exec', 'app', 'cat', '/tmp/seed.txt', '/tmp/renamed.txt', '/tmp/tree/sub/leaf'])
      expect(seen.stdout).toBe('seeded\nseeded\nleaf\n')
      expect(cli(['cp', 'app:/tmp/tree', join(here, 'back')]).code).toBe(0)
      expect(readFileSync(join(here, 'back', 'sub', 'leaf'), 'utf8')).toBe('leaf\n')
      const unknown = cli(['rm', '-f', 'nope'])
      expect(unknown.code).toBe(1)
      expect(unknown.stderr).toContain('no such service: nope')
      const missing = cli(['cp', 'app:/nowhere', here])
      expect(missing.code).toBe(1)
      expect(missing.stderr).toContain('/nowhere')
      expect(cli(['exec', 'app', 'sh', '-c', 'echo written >> /proc/1/fd/1']).code).toBe(0)
      const logs = cli(['logs', '-t', 'app'])
      expect(logs.stdout).toMatch(/^app-1 +\| \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z written$/m)
    } finally {
      cli(['down', '-t', '0'])
    }
    expect(await leftOf(project)).toEqual([])
  })

  it('pull and push say that no registry answers, and exit 1; pull_policy never and a built image are skipped', async () => {
    const project = uniqueProjectName('pull-push')
    const cli = cliOf(project)
    const pull = cli(['pull', 'db'])
    expect(pull.code).toBe(1)
    expect(pull.stderr).toMatch(/db: image "compose-harness-probe" could not be pulled: .*no registry was reachable/)
    // --policy missing pulls a latest tag all the same, as Compose v2; --include-deps brings db along.
    const missing = cli(['pull', '--policy', 'missing', '--include-deps', 'app'])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toMatch(/^db: image "compose-harness-probe" could not be pulled/m)
    // Each service's progress on standard error, in v2's words; nothing on standard output.
    expect(missing.stderr).toMatch(/^ app Skipped - Image is already being pulled by db $/m)
    expect(missing.stdout).toBe('')
    expect(cli(['pull', '--policy', 'never', 'app'])).toMatchObject({ code: 0, stdout: '', stderr: ' app Skipped \n' })
    expect(cli(['pull', '--policy', 'sometimes']).stderr).toContain('pull: --policy takes missing or always')
    // One pull at a time: each image still once.
    const serial = cli(['--parallel', '1', 'pull', '--include-deps', 'app'])
    expect(serial.code).toBe(1)
    expect(serial.stderr).toMatch(/^ app Skipped - Image is already being pulled by db $/m)
    const dir = mkdtempSync(join(tmpdir(), 'compose-harness-push-'))
    writeFileSync(join(dir, 'Dockerfile'), 'FROM compose-harness-probe\n')
    writeFileSync(
      join(dir, 'compose.yml'),
      'services:\n  web:\n    build: .\n    image: 127.0.0.1:1/compose-harness-push:1\n  cache:\n    image: compose-harness-probe\n    pull_policy: never\n',
    )
    const inDir = (args: string[]) =>
      runCliSync(['-f', join(dir, 'compose.yml'), '-p', project, ...args], { timeoutMs: 90_000 })
    try {
      expect(inDir(['build']).code).toBe(0)
      const push = inDir(['push'])
      expect(push.code).toBe(1)
      expect(push.stderr).toMatch(
        /web: image "127\.0\.0\.1:1\/compose-harness-push:1" could not be pushed: .*\(no registry was reachable\)/,
      )
      expect(inDir(['push', '--ignore-push-failures']).code).toBe(0)
      const skipped = inDir(['pull'])
      expect(skipped.stderr).toMatch(/^ cache Skipped $/m)
      expect(skipped.code).toBe(0)
    } finally {
      // The image it built names a registry: no project's down takes it.
      await (
        await connectEngine()
      ).container.dockerode
        .getImage('127.0.0.1:1/compose-harness-push:1')
        .remove()
        .catch(() => {})
    }
  })
})
