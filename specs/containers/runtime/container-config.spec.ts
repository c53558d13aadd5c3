import { afterAll, describe, expect, inject, it } from 'vitest'
import type { StartedCompose } from '../../../harness/index.js'
import { runtimeFixture, uniqueProjectName } from '../support/test-projects.js'

const settingsName = uniqueProjectName('settings')
let shared: StartedCompose | undefined

/** One project for the whole file: each spec observes one service of it. */
async function project(): Promise<StartedCompose> {
  shared ??= await runtimeFixture('container-config')
    .withEnvironment({ SETTINGS_NAME: settingsName })
    // flapper fails on purpose, so up must not wait for every service to stay up.
    .up({ waitHealthy: false, waitFor: { site: { http: { port: 8080, path: '/index.html' } } } })
  return shared
}

describe.skipIf(!inject('engineReady'))("what a service's keys do to its container", () => {
  afterAll(async () => {
    await shared?.[Symbol.asyncDispose]()
  })

  it('publishes a port on 127.0.0.1 under a port the engine chose, serving a bind-mounted directory', async () => {
    const site = (await project()).service('site')
    const binding = (await site.inspect()).NetworkSettings.Ports['8080/tcp']![0]!
    expect(binding.HostIp).toBe('127.0.0.1')
    expect(Number(binding.HostPort)).toBeGreaterThan(0)
    expect([await site.host(), await site.host(8080), await site.mappedPort(8080)]).toEqual([
      '127.0.0.1',
      '127.0.0.1',
      Number(binding.HostPort),
    ])
    const body = await (await fetch(`http://${await site.host(8080)}:${await site.mappedPort(8080)}/index.html`)).text()
    expect(body).toBe('<h1>served from a bind mount</h1>\n')
  })

  it('runs a string command as words without a shell, and a list command exactly as given', async () => {
    const p = await project()
    expect(await p.service('string-command').waitForExit()).toBe(0)
    expect(await p.service('string-command').logs()).toEqual(['$HOME two words'])
    expect(await p.service('exec-command').waitForExit()).toBe(0)
    expect(await p.service('exec-command').logs()).toEqual(['/root'])
  })

  it("replaces the image's entrypoint and passes the command to it", async () => {
    const entrypoint = (await project()).service('entrypoint')
    expect(await entrypoint.waitForExit()).toBe(0)
    expect(await entrypoint.logs()).toEqual(['from-entrypoint and its command'])
  })

  it('applies container_name, hostname, working_dir, user, labels, environment, env_file, tmpfs, extra_hosts, init and stop_grace_period', async () => {
    const settings = (await project()).service('settings')
    const info = await settings.inspect()
    expect(info.Name).toBe(`/${settingsName}`)
    expect(info.Config.Labels['com.example.team']).toBe('core')
    expect((info.Config as { StopTimeout?: number }).StopTimeout).toBe(2)
    const run = async (...cmd: string[]) => (await settings.exec(cmd)).stdout.trim()
    expect(await run('hostname')).toBe('custom-host')
    expect(await run('pwd')).toBe('/tmp')
    expect(await run('id', '-u')).toBe('1000')
    expect(await run('printenv', 'FROM_ENV_FILE')).toBe('env-file-value')
    expect(await run('printenv', 'OVERRIDDEN')).toBe('from-environment')
    expect(await run('sh', '-c', 'grep " /scratch " /proc/mounts | cut -d" " -f3')).toBe('tmpfs')
    expect(await run('getent', 'hosts', 'metrics.internal')).toMatch(/^10\.1\.2\.3\s+metrics\.internal$/)
    expect(await run('cat', '/proc/1/comm')).toBe('docker-init')
  })

  it('runs exec with extra environment, another user and another directory when asked', async () => {
    const settings = (await project()).service('settings')
    const { exitCode, stdout } = await settings.exec(['sh', '-c', 'echo "$EXTRA $OVERRIDDEN $(id -u) $(pwd)"'], {
      env: { EXTRA: 'added' },
      user: '0',
      workingDir: '/var',
    })
    expect([exitCode, stdout]).toEqual([0, 'added from-environment 0 /var\n'])
  })

  it('stops a service with its stop_signal', async () => {
    const p = await project()
    const signals = p.service('signals')
    await signals.waitForLog(/^waiting$/)
    expect(((await signals.inspect()).Config as { StopSignal?: string }).StopSignal).toBe('SIGUSR1')
    await p.stop({ services: ['signals'] })
    expect(await signals.logs()).toEqual(['waiting', 'got SIGUSR1'])
    expect((await signals.inspect()).State.ExitCode).toBe(0)
  })

  it('restarts a failing service as its restart policy says, then gives up', async () => {
    const flapper = (await project()).service('flapper')
    expect((await flapper.inspect()).HostConfig.RestartPolicy).toEqual({ Name: 'on-failure', MaximumRetryCount: 2 })
    await flapper.waitForLog(/^run$/, { times: 3, timeoutMs: 20_000 })
    expect(await flapper.waitForExit({ timeoutMs: 20_000 })).toBe(1)
    expect((await flapper.inspect()).RestartCount).toBe(2)
  })

  it("limits memory, CPU and processes as mem_limit and deploy.resources.limits say, in the kernel's own accounting", async () => {
    const limited = (await project()).service('limited')
    // cgroup v2 files first, then the v1 ones (this machine's engine uses v1).
    const read = async (v2: string, v1: string) =>
      (
        await limited.exec(['sh', '-c', `cat /sys/fs/cgroup/${v2} 2>/dev/null || cat /sys/fs/cgroup/${v1}`])
      ).stdout.trim()
    expect(await read('memory.max', 'memory/memory.limit_in_bytes')).toBe(String(32 * 2 ** 20))
    expect(await read('pids.max', 'pids/pids.max')).toBe('20')
    const cpu = await read('cpu.max', 'cpu/cpu.cfs_quota_us')
    expect(['50000 100000', '50000']).toContain(cpu)
  })
})
