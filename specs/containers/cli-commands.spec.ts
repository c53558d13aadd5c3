import { spawnSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { COMMANDS } from '../../harness/cli/registry.js'
import { referenceCompose } from '../../harness/conformance/reference-compose.js'
import { Compose } from '../../harness/index.js'
import { connectEngine } from '../../harness/runtime/engine/engine.js'
import { runCliSync, startCli } from '../support/cli.js'
import { leftOf } from './support/observe.js'
import { ECHO_FILE, uniqueProjectName } from './support/test-projects.js'

const project = uniqueProjectName('cli-commands')
const cliWithInput = (input: string, ...args: string[]) =>
  runCliSync(['-f', ECHO_FILE, '-p', project, ...args], { input, timeoutMs: 60_000 })
const cli = (...args: string[]) => cliWithInput('', ...args)
let upPid = 0

describe.skipIf(!inject('engineReady'))("the CLI's commands on a running project", () => {
  beforeAll(() => {
    const up = cli('up', '-d', '--wait')
    expect(up.code).toBe(0)
    upPid = up.pid!
  })
  afterAll(async () => {
    cli('down', '-t', '0')
    expect(await leftOf(project)).toEqual([])
  })

  it('starts no reaper for up -d: a detached project is meant to outlive the command', async () => {
    const docker = (await connectEngine()).container.dockerode
    expect(
      await docker.listContainers({ all: true, filters: { label: [`com.compose-harness.reaper.pid=${upPid}`] } }),
    ).toEqual([])
    expect(cli('ps', '--format', 'json').stdout.trim().split('\n')).toHaveLength(2)
  })

  it("shows up's steps on standard error as --progress asks: one JSON event a line, or nothing with quiet", () => {
    const json = cli('--progress', 'json', 'up', '-d')
    expect(json.code, json.stderr).toBe(0)
    expect(json.stdout).toBe('')
    // Warnings (`WARN …`) share standard error with the events.
    const events = json.stderr
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { id: string; status: string })
    expect(events.map((e) => `${e.id} ${e.status}`).sort()).toEqual([
      `Container ${project}-client-1 Running`,
      `Container ${project}-echo-server-1 Running`,
    ])
    const quiet = cli('--progress', 'quiet', 'up', '-d')
    expect(quiet.code, quiet.stderr).toBe(0)
    expect(quiet.stdout).toBe('')
    expect(quiet.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('WARN '))).toEqual([])
    expect(cli('--progress', 'fancy', 'up', '-d').stderr).toContain(
      '--progress is one of auto, tty, plain, quiet, json, got fancy',
    )
  })

  it('lists the images of the containers, the processes of each, and the project among those on the engine', () => {
    const images = JSON.parse(cli('images', '--format', 'json').stdout) as {
      ContainerName: string
      Repository: string
    }[]
    expect(images.map((i) => `${i.ContainerName} ${i.Repository}`).sort()).toEqual([
      `${project}-client-1 client`,
      `${project}-echo-server-1 server`,
    ])
    expect(cli('images').stdout).toMatch(
      new RegExp(`${project}-client-1 +client +latest +linux/\\w+ +[0-9a-f]{12} +\\d+MB +\\S.* ago`),
    )
    const top = cli('top', 'client').stdout.split('\n')
    // Compose 2.40's one table: the service and the container's number before the engine's columns.
    expect(top[0]).toMatch(/^SERVICE +# +UID +PID +PPID .* CMD$/)
    expect(top.slice(1).every((l) => /^client +1 /.test(l) || l === '')).toBe(true)
    expect(top.some((l) => l.endsWith('python3 -u /usr/local/bin/echo-client'))).toBe(true)
    const listed = JSON.parse(cli('ls', '--format', 'json').stdout) as { Name: string; Status: string }[]
    expect(listed.find((p) => p.Name === project)?.Status).toBe('running(2)')
    expect(cli('ls', '-q').stdout.split('\n')).toContain(project)
    expect(cli('version', '--short').stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/)
  })

  it('lists the containers as a table and as one JSON object a line', () => {
    const table = cli('ps').stdout.trim().split('\n')
    expect(table[0]).toMatch(/^NAME\s+IMAGE\s+COMMAND\s+SERVICE\s+CREATED\s+STATUS\s+PORTS$/)
    expect(table.find((row) => row.startsWith(`${project}-echo-server-1`))).toMatch(/\s2000\/tcp$/)
    expect(
      table.slice(1).map((l) =>
        l
          .split(/\s{3,}/)
          .slice(0, 4)
          .join(' '),
      ),
    ).toEqual([
      `${project}-client-1 client "/usr/bin/tini -- py…" client`,
      `${project}-echo-server-1 server "/usr/bin/tini -- so…" echo-server`,
    ])
    const rows = cli('ps', '--format', 'json')
      .stdout.trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(rows.find((r) => r.Service === 'echo-server')!.Publishers).toEqual([
      { URL: '', TargetPort: 2000, PublishedPort: 0, Protocol: 'tcp' },
    ])
    expect(rows.map((r) => [r.Name, r.Service, r.State, r.Project])).toEqual([
      [`${project}-client-1`, 'client', 'running', project],
      [`${project}-echo-server-1`, 'echo-server', 'running', project],
    ])
  })

  it("shows a service's logs with its prefix", () => {
    const { code, stdout } = cli('logs', '--tail', '1', 'client')
    expect(code).toBe(0)
    expect(stdout).toBe('client-1  | Received: Hello, world\n')
  })

  it('shows no line with --tail 0, as Compose does', () => {
    expect(cli('logs', '--tail', '0', 'client')).toMatchObject({ code: 0, stdout: '' })
  })

  it('follows from the last line with -f --tail 1, and stops following on Ctrl+C', async () => {
    const running = await Compose.fromFiles(ECHO_FILE).withProjectName(project).attach()
    await running.service('client').waitForLog(/^Received: Hello, world$/, { times: 3, timeoutMs: 30_000 })
    const logs = startCli(['-f', ECHO_FILE, '-p', project, 'logs', '-f', '--tail', '1', '--no-color', 'client'], {
      timeoutMs: 20_000,
    })
    await logs.waitFor(/\n/, 20_000)
    logs.signal('SIGINT')
    const code = await logs.exited
    const stdout = logs.stdout
    // Without --tail the three lines already written would come at once; one more may be written while Ctrl+C lands.
    const lines = stdout.split('\n').filter(Boolean)
    expect(lines[0]).toBe('client-1  | Received: Hello, world')
    expect(lines.length).toBeLessThan(3)
    expect(code).toBe(0)
  })

  it('stops following, without an error, once the reader of logs -f has gone (`logs -f | head -1`)', async () => {
    const logs = startCli(['-f', ECHO_FILE, '-p', project, 'logs', '-f', '--no-color', 'client'], { timeoutMs: 30_000 })
    logs.child.stdout!.once('data', () => logs.child.stdout!.destroy())
    const code = await logs.exited
    const stderr = logs.stderr
    expect([code, stderr]).toEqual([0, ''])
  })

  it("runs a command in a service's container and exits with its code", () => {
    const { code, stdout } = cli('exec', 'client', 'sh', '-c', 'echo "in $(cat /etc/hostname)"; exit 3')
    expect(code).toBe(3)
    expect(stdout).toMatch(/^in [0-9a-f]{12}\n$/)
  })

  it('gives exec its input, as `docker compose exec -T db psql < dump.sql` needs', () => {
    const { code, stdout } = cliWithInput('one\ntwo\nthree\n', 'exec', '-T', 'client', 'wc', '-l')
    expect(code).toBe(0)
    expect(stdout).toBe('3\n')
  })

  it('runs exec with -e, -w and -u as Compose does, and refuses a container number the service does not have', () => {
    expect(
      cli(
        'exec',
        '-e',
        'GREETING=hi',
        '-w',
        '/tmp',
        '-u',
        '1000',
        'client',
        'sh',
        '-c',
        'echo "$GREETING $(pwd) $(id -u)"',
      ).stdout,
    ).toBe('hi /tmp 1000\n')
    expect(cli('exec', '--index', '2', 'client', 'true')).toMatchObject({
      code: 1,
      stderr: 'service "client" is not running container #2\n',
    })
  })

  it('starts a command with exec -d and returns while it still runs', async () => {
    const waiter = 'while [ ! -f /tmp/go ]; do sleep 0.1; done; echo ran > /tmp/detached'
    expect(cli('exec', '-d', 'client', 'sh', '-c', waiter)).toMatchObject({ code: 0, stdout: '' })
    expect(cli('exec', 'client', 'cat', '/tmp/detached').code).not.toBe(0)
    expect(cli('exec', 'client', 'touch', '/tmp/go').code).toBe(0)
    const client = (await Compose.fromFiles(ECHO_FILE).withProjectName(project).attach()).service('client')
    await expect
      .poll(async () => (await client.exec(['cat', '/tmp/detached'])).stdout, { timeout: 10_000 })
      .toBe('ran\n')
  })

  it('stops and starts a single service', () => {
    expect(cli('stop', '-t', '1', 'client').code).toBe(0)
    expect(cli('ps').stdout).not.toContain(`${project}-client-1`)
    expect(cli('ps', '-a').stdout).toContain(`${project}-client-1`)
    expect(cli('exec', 'client', 'true')).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(
        /^service "client" is not running \(\S+-client-1 exited with code \d+\); start it with `start client`\n$/,
      ),
    })
    expect(cli('start', 'client').code).toBe(0)
    expect(cli('ps').stdout).toContain(`${project}-client-1`)
  })

  it('acts on the project known only by its name where there is no compose file, as Compose v2 does', () => {
    // The specs run at the repository's root, which has no compose.yaml or docker-compose.yml.
    const byName = (...args: string[]) => runCliSync(['-p', project, ...args], { timeoutMs: 60_000 })
    expect(byName('ps').stdout).toContain(`${project}-echo-server-1`)
    expect(byName('stop', '-t', '1').code).toBe(0)
    expect(byName('ps').stdout).not.toContain(`${project}-echo-server-1`)
    expect(byName('start').code).toBe(0)
    expect(byName('ps').stdout).toContain(`${project}-echo-server-1`)
    expect(byName('up')).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^no compose file given \(-f or COMPOSE_FILE\)/),
    })
  })

  it("pauses, unpauses and kills a service's containers with pause, unpause and kill -s", async () => {
    const state = () =>
      (
        JSON.parse(
          cli('ps', '-a', '--format', 'json')
            .stdout.trim()
            .split('\n')
            .find((l) => l.includes('"client"'))!,
        ) as { State: string }
      ).State
    expect(cli('pause', 'client').code).toBe(0)
    expect(state()).toBe('paused')
    expect(cli('unpause', 'client').code).toBe(0)
    expect(state()).toBe('running')
    expect(cli('kill', '-s', 'SIGKILL', 'client').code).toBe(0)
    const client = (await Compose.fromFiles(ECHO_FILE).withProjectName(project).attach()).service('client')
    expect(await client.waitForExit({ timeoutMs: 10_000 })).toBe(137)
    expect(cli('start', 'client').code).toBe(0)
    expect(state()).toBe('running')
  })

  it('refuses a service the file does not have, in every command that reads the file, and leaves the project as it was', () => {
    const unknown = `no such service: nosuch (in ${ECHO_FILE}; the services are echo-server, client)\n`
    for (const command of [
      ['up', '-d'],
      ['down'],
      ['stop'],
      ['start'],
      ['restart'],
      ['kill'],
      ['pause'],
      ['unpause'],
      ['logs'],
    ]) {
      const run = cli(...command, 'nosuch')
      expect([run.code, run.stderr.replace(/^WARN .*\n/, '')], command[0]).toEqual([1, unknown])
    }
    // exec goes by the project's name, as v2's does: a service no container carries is not running.
    expect(cli('exec', 'nosuch', 'true')).toMatchObject({ code: 1, stderr: 'service "nosuch" is not running\n' })
    expect(cli('up', '-d', '--scale', 'nosuch=2')).toMatchObject({ code: 1, stderr: expect.stringContaining(unknown) })
    expect(cli('ps').stdout.trim().split('\n')).toHaveLength(3)
  })

  it('removes only the services it names with down SERVICE, keeping the rest and the network', async () => {
    expect(cli('down', '-t', '0', 'client').code).toBe(0)
    expect(cli('ps', '-a').stdout).not.toContain(`${project}-client-1`)
    expect(cli('ps').stdout).toContain(`${project}-echo-server-1`)
    const docker = (await connectEngine()).container.dockerode
    expect(await docker.listNetworks({ filters: { name: [`${project}_default`] } })).toHaveLength(1)
    expect(cli('up', '-d', '--wait').code).toBe(0)
    expect(cli('ps').stdout).toContain(`${project}-client-1`)
  })

  it('prints help for every command', () => {
    for (const command of Object.keys(COMMANDS)) {
      const { code, stdout } = cli(command, '--help')
      expect(code, command).toBe(0)
      expect(stdout, command).toMatch(new RegExp(`^Usage: compose-harness ${command}`))
    }
  })
})

describe.skipIf(!inject('engineReady'))('a script written for the Compose CLI', () => {
  it.each([
    ['Compose v2', referenceCompose().join(' ')],
    ['compose-harness', `${process.execPath} bin/compose-harness.js`],
  ])('works the same with %s', (_, compose) => {
    const run = spawnSync('bash', ['fixtures/scripts/echo-smoke.sh'], {
      encoding: 'utf8',
      env: { ...process.env, COMPOSE: compose, PROJECT: uniqueProjectName('script') },
    })
    // Warnings aside (Compose v2 warns on every command that the example's `version:` is obsolete), nothing on stderr.
    expect(run.stderr.split('\n').filter((l) => l && !/level=warning|^WARN /.test(l))).toEqual([])
    expect(run.stdout).toBe('ok\n')
    expect(run.status).toBe(0)
  })
})
