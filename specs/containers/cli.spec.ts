import { resolve } from 'node:path'
import { describe, expect, inject, it } from 'vitest'
import { Compose } from '../../harness/index.js'
import { connectEngine } from '../../harness/runtime/engine/engine.js'
import { runCli, startCli } from '../support/cli.js'
import { imageExists, leftOf } from './support/observe.js'
import { ECHO_FILE, uniqueProjectName } from './support/test-projects.js'

/**
 * Runs the CLI and sends SIGINT each time its output matches the next of `until` (`[]`: never,
 * the run goes to its end); resolves with its exit code and its output (stdout, then stderr). A
 * run still going after `timeoutMs` is killed (exit 137).
 */
async function runUntil(
  args: string[],
  until: RegExp | RegExp[],
  timeoutMs: number,
): Promise<{ code: number; output: string }> {
  const run = startCli(args, { timeoutMs })
  for (const pattern of [until].flat()) {
    const matched = await Promise.race([
      run.waitFor(pattern, timeoutMs).then(
        () => true,
        () => false,
      ),
      run.exited.then(() => false),
    ])
    if (!matched) break
    run.signal('SIGINT')
  }
  return { code: await run.exited, output: run.output }
}

describe.skipIf(!inject('engineReady'))('compose-harness up in the foreground', () => {
  it("streams the client's echoes with its prefix and leaves nothing after Ctrl+C with --down-on-exit", async () => {
    const project = uniqueProjectName('cli')
    const { code, output } = await runUntil(
      ['-f', ECHO_FILE, '-p', project, 'up', '--down-on-exit'],
      /^client-1\s+\| Received: Hello, world$/m,
      60_000,
    )
    expect(output).toMatch(/^Attaching to client-1, echo-server-1$/m)
    expect(output).toMatch(/^Gracefully stopping\.\.\./m)
    expect(code).toBe(130)
    expect(await leftOf(project)).toEqual([])
  })

  it('treats the reader of its output going away (`up | head`) as Ctrl+C: the project goes, exit 141', async () => {
    const project = uniqueProjectName('cli-pipe')
    const run = startCli(['-f', ECHO_FILE, '-p', project, 'up', '--down-on-exit'], { timeoutMs: 60_000 })
    await run.waitFor(/^client-1\s+\| Received: Hello, world$/m)
    run.child.stdout!.destroy()
    const code = await run.exited
    // The progress of up and down (on standard error, as v2 writes it), and no error besides the warning.
    const stderr = run.stderr.split('\n').filter((l) => l !== '' && !l.startsWith(' '))
    expect(stderr).toEqual([expect.stringMatching(/^WARN .*`version` is obsolete and ignored$/)])
    expect(run.stderr).toContain(` Container ${project}-client-1  Removed`)
    expect(code).toBe(141)
    expect(await leftOf(project)).toEqual([])
  })

  it("gates on a service with --exit-code-from: its exit code is the run's, the rest is stopped, and --down-on-exit leaves nothing", async () => {
    const project = uniqueProjectName('cli-gate')
    const file = resolve('fixtures/runtime/exit-code/compose.yml')
    const { code, output } = await runUntil(
      ['-f', file, '-p', project, 'up', '--exit-code-from', 'tests', '--down-on-exit'],
      [],
      60_000,
    )
    expect(output).toMatch(/^tests-1\s+\| ran 3 checks, 1 failed$/m)
    expect(output).toMatch(/^tests-1 exited with code 3\nAborting on container exit\.\.\.$/m)
    expect(code).toBe(3)
    expect(await leftOf(project)).toEqual([])
  })

  it('streams the lines without their prefix with --no-log-prefix', async () => {
    const project = uniqueProjectName('cli-no-prefix')
    const file = resolve('fixtures/runtime/exit-code/compose.yml')
    const { code, output } = await runUntil(
      ['-f', file, '-p', project, 'up', '--exit-code-from', 'tests', '--down-on-exit', '--no-log-prefix'],
      [],
      60_000,
    )
    expect(output).toMatch(/^ran 3 checks, 1 failed$/m)
    expect(output).not.toMatch(/\| ran 3 checks/)
    expect(code).toBe(3)
    expect(await leftOf(project)).toEqual([])
  })

  it('waits with wait for a service of a detached project to stop, and exits with its code, as Compose v2', async () => {
    const project = uniqueProjectName('cli-wait')
    const file = resolve('fixtures/runtime/exit-code/compose.yml')
    const cli = (...args: string[]) => runCli(['-f', file, '-p', project, ...args])
    try {
      expect((await cli('up', '-d')).code).toBe(0)
      const waited = await cli('wait', 'tests')
      expect(waited.code, waited.stderr).toBe(3)
      expect((await cli('wait', 'nosuch')).stderr).toContain('nosuch')
    } finally {
      await cli('down', '-t', '0')
    }
    expect(await leftOf(project)).toEqual([])
  })

  it('streams only the services given with --attach, and ends when they have exited', async () => {
    const project = uniqueProjectName('cli-attach')
    const file = resolve('fixtures/runtime/exit-code/compose.yml')
    try {
      const { code, output } = await runUntil(['-f', file, '-p', project, 'up', '--attach', 'tests'], [], 60_000)
      expect(output).toMatch(/^Attaching to tests-1$/m)
      expect(output).toMatch(/^tests-1\s+\| ran 3 checks, 1 failed$/m)
      expect(output).not.toMatch(/^server-1/m)
      expect(code).toBe(0)
      const refused = await runCli([
        '-f',
        file,
        '-p',
        project,
        'up',
        '--no-attach',
        'tests',
        '--exit-code-from',
        'tests',
      ])
      expect(refused.stderr).toContain('--exit-code-from tests needs that service')
    } finally {
      await runCli(['-f', file, '-p', project, 'down', '-t', '0'])
    }
    expect(await leftOf(project)).toEqual([])
  })

  it('takes the project down with wait --down-project once the service has stopped, exiting with its code', async () => {
    const project = uniqueProjectName('cli-wait-down')
    const file = resolve('fixtures/runtime/exit-code/compose.yml')
    const cli = (...args: string[]) => runCli(['-f', file, '-p', project, ...args])
    try {
      expect((await cli('up', '-d')).code).toBe(0)
      expect((await cli('wait', '--down-project', 'tests')).code).toBe(3)
      expect(await leftOf(project)).toEqual([])
    } finally {
      await cli('down', '-t', '0')
    }
  })

  it("removes with down --rmi local the images built under the project's name, never one the file names", async () => {
    const project = uniqueProjectName('cli-rmi')
    const file = resolve('fixtures/runtime/down-rmi/compose.yml')
    const cli = (...args: string[]) => runCli(['-f', file, '-p', project, ...args])
    try {
      expect((await cli('up', '-d')).code).toBe(0)
      expect(await imageExists(`${project}-built`)).toBe(true)
      expect((await cli('down', '-t', '0', '--rmi', 'local')).code).toBe(0)
      expect(await imageExists(`${project}-built`)).toBe(false)
      expect(await imageExists('compose-harness-probe')).toBe(true)
      expect(await leftOf(project)).toEqual([])
      expect((await cli('down', '--rmi', 'some')).stderr).toContain('down: --rmi takes local or all, got "some"')
    } finally {
      await cli('down', '-t', '0')
    }
  })

  it('removes stopped containers with rm: asks first and removes nothing without an answer, -f removes, -s stops first', async () => {
    const project = uniqueProjectName('cli-rm')
    const file = resolve('fixtures/runtime/exit-code/compose.yml')
    const cli = (...args: string[]) => runCli(['-f', file, '-p', project, ...args])
    const names = async () =>
      (await cli('ps', '-a', '--format', 'json')).stdout
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => (JSON.parse(l) as { Name: string }).Name)
    try {
      expect((await cli('up', '-d')).code).toBe(0)
      expect((await cli('wait', 'tests')).code).toBe(3)
      const asked = await cli('rm')
      expect([asked.code, asked.stdout]).toEqual([0, `Going to remove ${project}-tests-1`])
      expect(await names()).toEqual([`${project}-server-1`, `${project}-tests-1`])
      expect((await cli('rm', '-f')).code).toBe(0)
      expect(await names()).toEqual([`${project}-server-1`])
      expect((await cli('rm', '-f', '-s', 'server')).code).toBe(0)
      expect(await names()).toEqual([])
    } finally {
      await cli('down', '-t', '0')
    }
    expect(await leftOf(project)).toEqual([])
  })

  it('ends the run at the first exit with --abort-on-container-exit, stopping the others, and refuses it with -d', async () => {
    const project = uniqueProjectName('cli-abort')
    const compose = Compose.fromFiles(resolve('fixtures/runtime/exit-code/compose.yml')).withProjectName(project)
    try {
      const { code } = await runUntil(
        ['-f', resolve('fixtures/runtime/exit-code/compose.yml'), '-p', project, 'up', '--abort-on-container-exit'],
        [],
        60_000,
      )
      expect(code).toBe(3)
      expect((await (await compose.attach()).service('server').inspect()).State.Running).toBe(false)
      const detached = await runUntil(
        [
          '-f',
          resolve('fixtures/runtime/exit-code/compose.yml'),
          '-p',
          project,
          'up',
          '-d',
          '--exit-code-from',
          'tests',
        ],
        [],
        30_000,
      )
      expect(detached).toEqual({
        code: 1,
        output:
          "up: -d cannot be combined with --abort-on-container-exit, --abort-on-container-failure, --exit-code-from, --attach, --attach-dependencies or --watch: they need the foreground\nRun 'compose-harness --help' for usage.\n",
      })
    } finally {
      await compose.down({ timeoutS: 0 })
    }
  })

  it("prints where a service's port is published with port, as scripts read it from docker compose port", async () => {
    const project = uniqueProjectName('cli-port')
    const file = resolve('fixtures/runtime/published/compose.yml')
    const compose = Compose.fromFiles(file).withProjectName(project)
    try {
      await compose.up({ reap: false })
      const mapped = await (await compose.attach()).service('web').mappedPort(8080)
      expect(await runUntil(['-f', file, '-p', project, 'port', 'web', '8080'], [], 30_000)).toEqual({
        code: 0,
        output: `127.0.0.1:${mapped}\n`,
      })
      expect((await runUntil(['-f', file, '-p', project, 'ps'], [], 30_000)).output).toMatch(
        new RegExp(`\\s127\\.0\\.0\\.1:${mapped}->8080/tcp\\n$`),
      )
      const missing = await runUntil(['-f', file, '-p', project, 'port', 'web', '9999'], [], 30_000)
      expect(missing).toEqual({ code: 1, output: `port: ${project}-web-1 publishes no 9999/tcp\n` })
    } finally {
      await compose.down({ timeoutS: 0 })
    }
  })

  it('kills the containers on a second Ctrl+C instead of waiting out their grace period', async () => {
    const project = uniqueProjectName('cli-kill')
    const file = resolve('fixtures/runtime/stubborn/compose.yml')
    try {
      const { code, output } = await runUntil(
        ['-f', file, '-p', project, 'up'],
        [/^Attaching to stubborn-1$/m, /^Gracefully stopping\.\.\./m],
        60_000,
      )
      expect(output).toMatch(/^Killing\.\.\.$/m)
      expect(code).toBe(130)
      const docker = (await connectEngine()).container.dockerode
      const state = (await docker.getContainer(`${project}-stubborn-1`).inspect()).State
      expect([state.Running, state.ExitCode]).toEqual([false, 137])
    } finally {
      await Compose.fromFiles(file).withProjectName(project).down({ timeoutS: 0 })
    }
  })

  it('refuses an invalid file with its problems and starts nothing', async () => {
    const project = uniqueProjectName('cli-invalid')
    const { code, output } = await runUntil(
      ['-f', 'fixtures/invalid/link-undefined-service.yml', '-p', project, 'up'],
      [],
      30_000,
    )
    expect(code).toBe(1)
    expect(output).toBe(
      `${resolve('fixtures/invalid/link-undefined-service.yml')}:5:9 services.client.links[0]: undefined service "echo"\n`,
    )
    expect(await leftOf(project)).toEqual([])
  })

  it('refuses, naming each one and why, keys that this engine cannot apply', async () => {
    const project = uniqueProjectName('cli-unapplied')
    const file = resolve('fixtures/unapplied/compose.yml')
    const { code, output } = await runUntil(['-f', file, '-p', project, 'up'], [], 30_000)
    expect(code).toBe(1)
    expect(output).toBe(
      [
        `${file}:5:5 services.app.credential_spec: is for Windows containers only, which this engine does not run`,
        `${file}:8:9 services.app.volumes[0]: is a named pipe (type: npipe), which only Windows containers have`,
        '',
      ].join('\n'),
    )
    expect(await leftOf(project)).toEqual([])
  })
})
