import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, inject, it } from 'vitest'
import { referenceCompose, runReference } from '../../../harness/conformance/reference-compose.js'
import { connectEngine } from '../../../harness/runtime/engine/engine.js'
import { plain, runCli } from '../../support/cli.js'
import { execOutput, leftOf } from '../support/observe.js'
import { uniqueProjectName } from '../support/test-projects.js'

const FILE = resolve('fixtures/conformance/foreground/compose.yml')

/** What a foreground `up` showed and left: its exit code, whose output it attached, and each container's state after. */
interface Foreground {
  readonly code: number
  readonly attaching: string | undefined
  readonly prefixes: readonly string[]
  readonly states: readonly string[]
}

type Run = (args: readonly string[]) => Promise<{ code: number; stdout: string; stderr: string }>

async function foreground(run: Run, args: readonly string[]): Promise<Foreground> {
  const { code, stdout } = await run(args)
  const lines = plain(stdout).split('\n')
  const prefixes = new Set(lines.flatMap((l) => /^(\S+)\s+\| /.exec(l)?.[1] ?? []))
  const ps = await run(['ps', '-a', '--format', '{{.Service}} {{.State}}'])
  return {
    code,
    attaching: lines.find((l) => l.startsWith('Attaching to ')),
    prefixes: [...prefixes].sort(),
    states: plain(ps.stdout).split('\n').filter(Boolean).sort(),
  }
}

// A foreground `up`, run by both tools on projects of their own: the same exit code, the same
// services attached, and the same containers running or exited after it.
const CASES: Record<string, readonly string[]> = {
  'up --abort-on-container-failure: an exit 0 goes on, the first failure ends the run with its code': [
    'up',
    '--abort-on-container-failure',
  ],
  'up SERVICE: only that service attached; the run ends with it, its dependencies left running': ['up', 'fails'],
  // ok has exited before the run attaches: whether Compose v2 counts that exit is a race of its
  // own (its event monitor may subscribe after it), so the run ends on a failure instead.
  'up --attach-dependencies SERVICE: its dependencies attached too; an abort stops only the service named': [
    'up',
    '--attach-dependencies',
    '--abort-on-container-failure',
    'fails',
  ],
  '--abort-on-container-exit with --abort-on-container-failure: refused': [
    'up',
    '--abort-on-container-exit',
    '--abort-on-container-failure',
  ],
  '-d with --attach-dependencies: refused': ['up', '-d', '--attach-dependencies', 'fails'],
  '--no-recreate with -V: refused': ['up', '-d', '--no-recreate', '-V'],
}

describe.skipIf(!inject('engineReady'))('foreground up, run and cp, against Compose v2', () => {
  it.concurrent.each(Object.entries(CASES))('%s', async (_, args) => {
    const base = uniqueProjectName('conf-fg')
    const harness: Run = (a) => runCli(['-p', `${base}-h`, '-f', FILE, ...a], { timeoutMs: 90_000 })
    const reference: Run = (a) =>
      runReference(referenceCompose(), ['-p', `${base}-r`, '-f', FILE, ...a], { timeoutMs: 90_000 })
    try {
      const [ours, theirs] = await Promise.all([foreground(harness, args), foreground(reference, args)])
      expect(ours, args.join(' ')).toEqual(theirs)
      // Each case shows something: a run's attached output and exit code, or a refusal.
      expect(theirs.code !== 0 || theirs.prefixes.length > 0).toBe(true)
    } finally {
      await Promise.all([harness(['down', '-t', '0']), reference(['down', '-t', '0'])])
    }
    expect([...(await leftOf(`${base}-h`)), ...(await leftOf(`${base}-r`))]).toEqual([])
  })

  it('a foreground up keeps what up -d made, and what an earlier foreground up left, as Compose v2 keeps them', async () => {
    const base = uniqueProjectName('conf-fg-keep')
    const docker = (await connectEngine()).container.dockerode
    const kept = async (run: Run, project: string): Promise<boolean[]> => {
      const idOf = async (service: string) =>
        (
          await docker.listContainers({
            all: true,
            filters: { label: [`com.docker.compose.project=${project}`, `com.docker.compose.service=${service}`] },
          })
        )[0]?.Id
      expect((await run(['up', '-d', 'server'])).code).toBe(0)
      const server = await idOf('server')
      expect((await run(['up', '--abort-on-container-exit', 'ok'])).code).toBe(0)
      const ok = await idOf('ok')
      expect((await run(['up', '--abort-on-container-exit', 'ok'])).code).toBe(0)
      return [server !== undefined && (await idOf('server')) === server, ok !== undefined && (await idOf('ok')) === ok]
    }
    const harness: Run = (a) => runCli(['-p', `${base}-h`, '-f', FILE, ...a], { timeoutMs: 90_000 })
    const reference: Run = (a) =>
      runReference(referenceCompose(), ['-p', `${base}-r`, '-f', FILE, ...a], { timeoutMs: 90_000 })
    try {
      const [ours, theirs] = await Promise.all([kept(harness, `${base}-h`), kept(reference, `${base}-r`)])
      expect(theirs).toEqual([true, true])
      expect(ours).toEqual(theirs)
    } finally {
      await Promise.all([harness(['down', '-t', '0']), reference(['down', '-t', '0'])])
    }
    expect([...(await leftOf(`${base}-h`)), ...(await leftOf(`${base}-r`))]).toEqual([])
  })

  it('cp into a service: every container of it, one-offs too with --all, only number N with --index', async () => {
    const base = uniqueProjectName('conf-fg-cp')
    const dir = mkdtempSync(join(tmpdir(), 'conf-fg-cp-'))
    writeFileSync(join(dir, 'seed.txt'), 'seed\n')
    const projects = [`${base}-h`, `${base}-r`]
    const tools: Run[] = [
      (a) => runCli(['-p', projects[0]!, '-f', FILE, ...a], { timeoutMs: 90_000 }),
      (a) => runReference(referenceCompose(), ['-p', projects[1]!, '-f', FILE, ...a], { timeoutMs: 90_000 }),
    ]
    const docker = (await connectEngine()).container.dockerode
    /** `name: files` of each container of server, one-offs included, under a name without the project. */
    const copied = async (project: string) => {
      const containers = await docker.listContainers({
        filters: { label: [`com.docker.compose.project=${project}`, 'com.docker.compose.service=server'] },
      })
      const found = await Promise.all(
        containers.map(async (c) => {
          const files = await execOutput(c.Id, ['sh', '-c', 'ls /tmp/in | tr "\\n" " "'])
          const oneOff = c.Labels['com.docker.compose.oneoff'] === 'True'
          const name = oneOff ? 'one-off' : `server-${c.Labels['com.docker.compose.container-number']}`
          return `${name}: ${files.trim()}`
        }),
      )
      return found.sort()
    }
    try {
      for (const args of [
        ['up', '-d', '--scale', 'server=2', 'server'],
        ['run', '-d', '--no-deps', 'server', 'sh', '-c', 'mkdir -p /tmp/in && exec sleep infinity'],
        ['exec', '--index', '1', 'server', 'mkdir', '-p', '/tmp/in'],
        ['exec', '--index', '2', 'server', 'mkdir', '-p', '/tmp/in'],
        ['cp', join(dir, 'seed.txt'), 'server:/tmp/in/every.txt'],
        ['cp', '--all', join(dir, 'seed.txt'), 'server:/tmp/in/all.txt'],
        ['cp', '--index', '2', join(dir, 'seed.txt'), 'server:/tmp/in/second.txt'],
      ]) {
        const codes = await Promise.all(tools.map(async (tool) => (await tool(args)).code))
        expect(codes, args.join(' ')).toEqual([0, 0])
      }
      const [ours, theirs] = await Promise.all(projects.map(copied))
      expect(ours).toEqual(theirs)
      expect(theirs).toEqual([
        'one-off: all.txt',
        'server-1: all.txt every.txt',
        'server-2: all.txt every.txt second.txt',
      ])
    } finally {
      // Compose v2's down removes one-off containers only as orphans.
      await Promise.all(tools.map((tool) => tool(['down', '-t', '0', '--remove-orphans'])))
      rmSync(dir, { recursive: true, force: true })
    }
    expect([...(await leftOf(projects[0]!)), ...(await leftOf(projects[1]!))]).toEqual([])
  })

  it('run -e KEY and exec -e KEY take KEY from the environment, else from the env file, as Compose v2 does', async () => {
    const base = uniqueProjectName('conf-fg-env')
    const dir = mkdtempSync(join(tmpdir(), 'conf-fg-env-'))
    const envFile = join(dir, 'project.env')
    writeFileSync(envFile, 'FROM_FILE=file-value\nIN_BOTH=file-loses\n')
    const env = { IN_BOTH: 'environment-wins', ONLY_HERE: 'environment-value' }
    const global = (project: string) => ['-p', project, '-f', FILE, '--env-file', envFile]
    const tools: Run[] = [
      (a) => runCli([...global(`${base}-h`), ...a], { timeoutMs: 90_000, env }),
      (a) => runReference(referenceCompose(), [...global(`${base}-r`), ...a], { timeoutMs: 90_000, env }),
    ]
    const both = async (args: readonly string[]) =>
      (await Promise.all(tools.map((tool) => tool(args)))).map(({ code, stdout }) => ({ code, stdout }))
    const asked = ['-e', 'FROM_FILE', '-e', 'IN_BOTH', '-e', 'ONLY_HERE', '-e', 'NOWHERE']
    const shown = 'echo "$FROM_FILE $IN_BOTH $ONLY_HERE ${NOWHERE-unset}"'
    const expected = 'file-value environment-wins environment-value unset\n'
    try {
      const ran = await both(['run', '--rm', '--no-deps', ...asked, 'ok', 'sh', '-c', shown])
      expect(ran).toEqual([
        { code: 0, stdout: expected },
        { code: 0, stdout: expected },
      ])
      await Promise.all(tools.map((tool) => tool(['up', '-d', 'server'])))
      const executed = await both(['exec', '-T', ...asked, 'server', 'sh', '-c', shown])
      expect(executed).toEqual([
        { code: 0, stdout: expected },
        { code: 0, stdout: expected },
      ])
    } finally {
      await Promise.all(tools.map((tool) => tool(['down', '-t', '0'])))
      rmSync(dir, { recursive: true, force: true })
    }
    expect([...(await leftOf(`${base}-h`)), ...(await leftOf(`${base}-r`))]).toEqual([])
  })

  it('a service named runs whatever its profiles, as Compose v2 runs it: run, up, ps, logs and down', async () => {
    const base = uniqueProjectName('conf-named')
    const file = resolve('fixtures/conformance/selected-services/compose.yml')
    const tools: Run[] = [
      (a) => runCli(['-p', `${base}-h`, '-f', file, ...a], { timeoutMs: 90_000 }),
      (a) => runReference(referenceCompose(), ['-p', `${base}-r`, '-f', file, ...a], { timeoutMs: 90_000 }),
    ]
    const both = async (args: readonly string[]) => {
      const runs = await Promise.all(tools.map((tool) => tool(args)))
      return runs.map(({ code, stdout }) => ({ code, stdout: plain(stdout).split('\n').filter(Boolean).sort() }))
    }
    try {
      const ran = await both(['run', '--rm', 'tool'])
      expect(ran[0]).toEqual(ran[1])
      expect(ran[1]).toEqual({ code: 0, stdout: ['tool ran'] })
      expect((await both(['up', '-d', 'tool'])).map((r) => r.code)).toEqual([0, 0])
      // Its profile's other service is enabled too, but only what up named (and its dependency) ran.
      const listed = await both(['ps', '-a', '--format', '{{.Service}}'])
      expect(listed[0]).toEqual(listed[1])
      expect(listed[1]!.stdout).toEqual(['db', 'tool'])
      const logs = await both(['logs', '--no-log-prefix', 'tool'])
      expect(logs[0]).toEqual(logs[1])
      // A plain down removes tool's container too; Compose 2.40 keeps it until told its profile
      // (divergence down-removes-every-profile).
      expect((await tools[0]!(['down', '-v', '-t', '0'])).code).toBe(0)
      expect(await leftOf(`${base}-h`)).toEqual([])
    } finally {
      await Promise.all([
        tools[0]!(['down', '-v', '-t', '0']),
        tools[1]!(['--profile', 'tools', 'down', '-v', '-t', '0']),
      ])
    }
    expect([...(await leftOf(`${base}-h`)), ...(await leftOf(`${base}-r`))]).toEqual([])
  })

  it("run with nothing to bring up first creates the service's own networks and volumes, and says so, as Compose v2 does", async () => {
    const base = uniqueProjectName('conf-run-res')
    const dir = mkdtempSync(join(tmpdir(), 'conf-run-res-'))
    const file = join(dir, 'compose.yml')
    writeFileSync(
      file,
      'services:\n  db:\n    image: compose-harness-probe\n  web:\n    image: compose-harness-probe\n' +
        '    depends_on: [db]\n    volumes: [data:/data]\nvolumes:\n  data:\n',
    )
    const project = (tool: number) => `${base}-${tool === 0 ? 'h' : 'r'}`
    const tools: Run[] = [
      (a) => runCli(['-p', project(0), '-f', file, '--progress', 'plain', ...a], { timeoutMs: 90_000 }),
      (a) =>
        runReference(referenceCompose(), ['-p', project(1), '-f', file, '--progress', 'plain', ...a], {
          timeoutMs: 90_000,
        }),
    ]
    const steps = async (args: readonly string[]) =>
      Promise.all(
        tools.map(async (tool, i) => {
          const { code, stderr } = await tool(args)
          const lines = stderr.split('\n').filter((l) => /^ (Network|Volume|Container) /.test(l))
          return { code, lines: lines.map((l) => l.replaceAll(project(i), '<project>')) }
        }),
      )
    try {
      // db uses no volume: the network alone. web's own volume, its dependency not started (--no-deps).
      for (const args of [
        ['run', '--rm', 'db', 'true'],
        ['run', '--rm', '--no-deps', 'web', 'true'],
      ]) {
        const [ours, theirs] = await steps(args)
        expect(ours, args.join(' ')).toEqual(theirs)
        expect(theirs!.lines.length, args.join(' ')).toBeGreaterThan(0)
        await Promise.all(tools.map((tool) => tool(['down', '-v', '-t', '0'])))
      }
    } finally {
      await Promise.all(tools.map((tool) => tool(['down', '-v', '-t', '0'])))
      rmSync(dir, { recursive: true, force: true })
    }
    expect([...(await leftOf(project(0))), ...(await leftOf(project(1)))]).toEqual([])
  })

  it('orphans: up and run warn of them, COMPOSE_IGNORE_ORPHANS (exported or in the .env) silences both and refuses --remove-orphans, run --remove-orphans and COMPOSE_REMOVE_ORPHANS in the .env remove them, as Compose v2 does', async () => {
    const base = uniqueProjectName('conf-orphans')
    const sleeper = (name: string) =>
      `  ${name}:\n    image: compose-harness-probe\n    command: sleep 300\n    init: true\n`
    // Each tool has a directory of its own: the steps write the .env there.
    const dirs = [0, 1].map(() => mkdtempSync(join(tmpdir(), 'conf-orphans-')))
    for (const dir of dirs) {
      writeFileSync(join(dir, 'both.yml'), `services:\n${sleeper('kept')}${sleeper('gone')}`)
      writeFileSync(join(dir, 'compose.yml'), `services:\n${sleeper('kept')}`)
    }
    const project = (tool: number) => `${base}-${tool === 0 ? 'h' : 'r'}`
    const tools: ((
      args: readonly string[],
      env?: NodeJS.ProcessEnv,
    ) => Promise<{ code: number; stdout: string; stderr: string }>)[] = [
      (a, env = {}) => runCli(['-p', project(0), ...a], { cwd: dirs[0]!, env, timeoutMs: 90_000 }),
      (a, env = {}) =>
        runReference(referenceCompose(), ['-p', project(1), ...a], {
          cwd: dirs[1]!,
          env: { ...process.env, ...env },
          timeoutMs: 90_000,
        }),
    ]
    const step = async (args: readonly string[], env?: NodeJS.ProcessEnv) => {
      const [ours, theirs] = await Promise.all(
        tools.map(async (tool) => {
          const { code, stderr } = await tool(args, env)
          return { code: code === 0 ? 0 : 'failed', orphansWarned: /orphan containers/i.test(stderr) }
        }),
      )
      expect(ours, args.join(' ')).toEqual(theirs)
      return theirs!
    }
    const ignoring = { COMPOSE_IGNORE_ORPHANS: 'true' }
    try {
      expect(await step(['-f', 'both.yml', 'up', '-d'])).toEqual({ code: 0, orphansWarned: false })
      expect(await step(['up', '-d'])).toEqual({ code: 0, orphansWarned: true })
      expect(await step(['up', '-d'], ignoring)).toEqual({ code: 0, orphansWarned: false })
      expect(await step(['up', '-d', '--remove-orphans'], ignoring)).toMatchObject({ code: 'failed' })
      for (const dir of dirs) writeFileSync(join(dir, '.env'), 'COMPOSE_IGNORE_ORPHANS=1\n')
      expect(await step(['up', '-d'])).toEqual({ code: 0, orphansWarned: false })
      expect(await step(['run', '--rm', 'kept', 'true'])).toEqual({ code: 0, orphansWarned: false })
      for (const dir of dirs) rmSync(join(dir, '.env'))
      expect(await step(['run', '--rm', 'kept', 'true'])).toEqual({ code: 0, orphansWarned: true })
      expect(await step(['run', '--rm', '--no-deps', 'kept', 'true'])).toEqual({ code: 0, orphansWarned: true })
      await step(['run', '--rm', '--remove-orphans', 'kept', 'true'])
      expect(await step(['up', '-d'])).toEqual({ code: 0, orphansWarned: false })
      // COMPOSE_REMOVE_ORPHANS in the .env counts as exported: up removes them.
      await step(['-f', 'both.yml', 'up', '-d'])
      for (const dir of dirs) writeFileSync(join(dir, '.env'), 'COMPOSE_REMOVE_ORPHANS=1\n')
      expect(await step(['up', '-d'])).toEqual({ code: 0, orphansWarned: false })
      const left = await Promise.all(
        tools.map((tool) => tool(['-f', 'both.yml', 'ps', '-a', '--format', '{{.Service}}'])),
      )
      expect(left.map((run) => run.stdout.trim())).toEqual(['kept', 'kept'])
    } finally {
      await Promise.all(tools.map((tool) => tool(['down', '-t', '0', '--remove-orphans'])))
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
    }
    expect([...(await leftOf(project(0))), ...(await leftOf(project(1)))]).toEqual([])
  })

  it('run: --cap-add and --cap-drop, --env-from-file under -e, -q and --quiet-build give what Compose v2 gives', async () => {
    const base = uniqueProjectName('conf-fg-run')
    const dir = mkdtempSync(join(tmpdir(), 'conf-fg-run-'))
    writeFileSync(join(dir, 'one.env'), 'A=from-file\nB=${A}-b\nC=one\n')
    writeFileSync(join(dir, 'two.env'), 'C=two\nD=two\n')
    const tools: Run[] = [
      (a) => runCli(['-p', `${base}-h`, '-f', FILE, ...a], { timeoutMs: 90_000 }),
      (a) => runReference(referenceCompose(), ['-p', `${base}-r`, '-f', FILE, ...a], { timeoutMs: 90_000 }),
    ]
    const both = async (args: readonly string[]) => {
      const runs = await Promise.all(tools.map((tool) => tool(args)))
      return runs.map(({ code, stdout }) => ({ code, stdout }))
    }
    try {
      const shown = 'echo "$A $B $C $D"; grep CapBnd /proc/self/status'
      const [ours, theirs] = await both([
        ...['run', '--rm', '--no-deps', '--cap-add', 'SYS_TIME', '--cap-drop', 'NET_RAW', '--cap-drop', 'CHOWN'],
        ...['-e', 'A=given', '--env-from-file', join(dir, 'one.env'), '--env-from-file', join(dir, 'two.env')],
        ...['ok', 'sh', '-c', shown],
      ])
      expect(ours).toEqual(theirs)
      expect(theirs!.stdout).toMatch(/^given given-b one two\nCapBnd:\s+[0-9a-f]+\n$/)
      // -q: Compose 2.40's help says "nothing to STDOUT", yet the command's output is there.
      const quiet = await both(['run', '--rm', '--no-deps', '-q', '--quiet-build', 'ok', 'echo', 'shown'])
      expect(quiet).toEqual([
        { code: 0, stdout: 'shown\n' },
        { code: 0, stdout: 'shown\n' },
      ])
    } finally {
      await Promise.all(tools.map((tool) => tool(['down', '-t', '0'])))
      rmSync(dir, { recursive: true, force: true })
    }
    expect([...(await leftOf(`${base}-h`)), ...(await leftOf(`${base}-r`))]).toEqual([])
  })
})
