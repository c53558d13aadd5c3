import { spawn } from 'node:child_process'
import { describe, expect, inject, it } from 'vitest'
import { connectEngine } from '../../harness/runtime/engine.js'
import { ECHO_FILE, uniqueProjectName } from './support/test-projects.js'

/** Runs the CLI until `until` matches a line of its output, then sends SIGINT; resolves with its exit code and output. */
function runUntil(args: string[], until: RegExp, timeoutMs: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/compose-harness.js', ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    let interrupted = false
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`no line matching ${until} within ${timeoutMs} ms; output:\n${output}`))
    }, timeoutMs)
    const onData = (chunk: Buffer): void => {
      output += chunk.toString()
      if (!interrupted && until.test(output)) {
        interrupted = true
        child.kill('SIGINT')
      }
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    child.on('exit', (code) => {
      clearTimeout(timer)
      resolve({ code, output })
    })
  })
}

describe.skipIf(!inject('engineReady'))('compose-harness up in the foreground', () => {
  it('streams the client\'s echoes with its prefix and leaves nothing after Ctrl+C with --down-on-exit', async () => {
    const project = uniqueProjectName('cli')
    const { code, output } = await runUntil(['-f', ECHO_FILE, '-p', project, 'up', '--down-on-exit'], /^client-1\s+\| Received: Hello, world$/m, 60_000)
    expect(output).toMatch(/^Attaching to echo-server-1, client-1$/m)
    expect(output).toMatch(/^Gracefully stopping\.\.\./m)
    expect(code).toBe(130)
    const docker = (await connectEngine()).container.dockerode
    const label = { label: [`com.docker.compose.project=${project}`] }
    expect(await docker.listContainers({ all: true, filters: label })).toEqual([])
    expect(await docker.listNetworks({ filters: label })).toEqual([])
  })

  it('prints every problem of an invalid file with its line and exits non-zero without starting anything', async () => {
    const { code, output } = await runUntil(['-f', 'specs/unit/fixtures/invalid-echo.yml', 'up'], /$^/, 30_000)
    expect(code).toBe(1)
    expect(output).toContain('invalid-echo.yml:5:9 services.client.links[0]: undefined service "echo"')
    expect(output).toContain('invalid-echo.yml:6:5 services.client.ports: is not supported by compose-harness yet')
  })
})
