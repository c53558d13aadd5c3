import { spawn } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, inject, it } from 'vitest'
import { Compose } from '../../harness/index.js'
import type { ServiceHandle } from '../../harness/runtime/container/service-handle.js'
import { connectEngine } from '../../harness/runtime/engine/engine.js'
import { referenceCompose } from '../../harness/conformance/reference-compose.js'
import { runCli, startCli } from '../support/cli.js'
import { eventually } from '../support/eventually.js'
import { execOutput, leftOf } from './support/observe.js'
import { uniqueProjectName } from './support/test-projects.js'

// develop.watch on real file changes: each test works on a copy of the fixture that it changes.
const FIXTURE = resolve('fixtures/runtime/watch')
const copies: string[] = []
afterEach(() => {
  for (const dir of copies.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function copyOfFixture(): string {
  const dir = mkdtempSync(join(tmpdir(), 'watch-'))
  cpSync(FIXTURE, dir, { recursive: true })
  copies.push(dir)
  return dir
}

/** What a container has under `path`, one name a line, sorted (empty when it has nothing there). */
async function listing(handle: ServiceHandle, path: string): Promise<string> {
  const { stdout } = await handle.exec(['sh', '-c', `cd ${path} 2>/dev/null && find . -type f | sort`])
  return stdout
}

const WAIT_MS = 30_000

describe.skipIf(!inject('engineReady'))('watch: develop.watch on real file changes', () => {
  it('syncs (initial sync, ignore, removals), restarts, runs sync+exec and rebuilds, as Compose v2 does each', async () => {
    const dir = copyOfFixture()
    const project = uniqueProjectName('watch-api')
    const compose = Compose.fromFiles(join(dir, 'compose.yml')).withProjectName(project)
    const said: string[] = []
    {
      await using started = await compose.up()
      const synced = started.service('synced')
      await using _watch = await started.watch({ onLog: (line) => said.push(line) })
      // initial_sync: the files of src are there before watch() resolves; the rule's ignore is not.
      expect(await listing(synced, '/app/src')).toBe('./first.txt\n')
      expect(said).toContain('Watch enabled')
      // x-initialSync: said to be deprecated; its rule (sync+exec) is not one v2 syncs first.
      expect(said).toContain('WARN x-initialSync is DEPRECATED, please use the official `initial_sync` attribute')
      expect(await listing(synced, '/app/exec')).toBe('')

      writeFileSync(join(dir, 'src', 'second.txt'), 'two\n')
      mkdirSync(join(dir, 'src', 'sub'))
      writeFileSync(join(dir, 'src', 'sub', 'third.txt'), 'three\n')
      writeFileSync(join(dir, 'src', 'ignored.txt'), 'still hidden\n')
      rmSync(join(dir, 'src', 'first.txt'))
      const expected = './second.txt\n./sub/third.txt\n'
      expect(
        await eventually(
          () => listing(synced, '/app/src'),
          (l) => l === expected,
          WAIT_MS,
        ),
      ).toBe(expected)
      expect((await synced.exec(['cat', '/app/src/sub/third.txt'])).stdout).toBe('three\n')
      expect(said.some((l) => /^Syncing service "synced" after \d+ changes were detected$/.test(l))).toBe(true)

      // restart: the container is started again.
      const before = (await synced.inspect()).State.StartedAt
      writeFileSync(join(dir, 'restart.txt'), 'r1\n')
      const startedAt = () => synced.inspect().then((i) => i.State.StartedAt)
      expect(await eventually(startedAt, (at) => at !== before, WAIT_MS)).not.toBe(before)
      expect(
        await eventually(
          async () => said,
          (s) => s.includes('service(s) ["synced"] restarted'),
          WAIT_MS,
        ),
      ).toContain('service(s) ["synced"] restarted')

      // sync+exec: synced, then the command runs in the container.
      writeFileSync(join(dir, 'exec', 'command.txt'), 'e1\n')
      const ran = () => synced.exec(['cat', '/app/exec-ran']).then((r) => r.stdout)
      expect(await eventually(ran, (out) => out === 'e1\n', WAIT_MS)).toBe('e1\n')

      // rebuild: the image built again and the container recreated from it.
      const oldId = started.service('built').id
      writeFileSync(join(dir, 'version.txt'), '2\n')
      const version = async () => {
        const docker = (await connectEngine()).container.dockerode
        const [c] = await docker.listContainers({
          filters: { label: [`com.docker.compose.project=${project}`, 'com.docker.compose.service=built'] },
        })
        if (!c || c.Id === oldId) return ''
        return execOutput(c.Id, ['cat', '/version.txt'])
      }
      expect(await eventually(version, (v) => v.endsWith('2\n'), 120_000, 1_000)).toMatch(/2\n$/)
      expect(said).toContain('Rebuilding service(s) ["built"] after changes were detected...')
      expect(said).toContain('service(s) ["built"] successfully built')
      expect(started.service('built').id).not.toBe(oldId)
    }
    expect(said.at(-1)).toBe('Watch disabled')
    expect(await leftOf(project)).toEqual([])
    await removeImage(`${project}-built`)
  }, 240_000)

  it('the CLI: watch brings the project up and syncs until Ctrl+C, and up --watch does it in the foreground', async () => {
    const dir = copyOfFixture()
    const project = uniqueProjectName('watch-cli')
    const file = join(dir, 'compose.yml')
    try {
      const watching = startCli(['-f', file, '-p', project, 'watch', 'synced'], { timeoutMs: 120_000 })
      await watching.waitFor(/^Watch enabled$/m)
      writeFileSync(join(dir, 'src', 'cli.txt'), 'cli\n')
      const started = await Compose.fromFiles(file).withProjectName(project).attach()
      const synced = started.service('synced')
      expect(
        await eventually(
          () => listing(synced, '/app/src'),
          (l) => l.includes('./cli.txt'),
          WAIT_MS,
        ),
      ).toContain('./cli.txt')
      watching.signal('SIGINT')
      expect(await watching.exited).toBe(0)
      expect(watching.stdout).toMatch(/^Watch disabled$/m)
      // The containers keep running after the watch, as with Compose v2.
      expect((await synced.inspect()).State.Running).toBe(true)

      const up = startCli(['-f', file, '-p', project, 'up', '--watch', 'synced'], { timeoutMs: 120_000 })
      // Among the containers' lines, after the prefix Compose v2 gives its watch: as wide as
      // `synced-1  | `, with ` ⦿ ` for the name and the bar.
      await up.waitFor(/^ {10}⦿ Watch enabled$/m)
      writeFileSync(join(dir, 'src', 'foreground.txt'), 'fg\n')
      // A foreground up replaces a container no reaper covers: the handle is the new one's.
      const again = (await Compose.fromFiles(file).withProjectName(project).attach()).service('synced')
      expect(
        await eventually(
          () => listing(again, '/app/src'),
          (l) => l.includes('./foreground.txt'),
          WAIT_MS,
        ),
      ).toContain('./foreground.txt')
      up.signal('SIGINT')
      expect(await up.exited).toBe(130)
      // A service with no develop section: refused before anything starts.
      const none = await runCli([
        '-f',
        resolve('fixtures/conformance/foreground/compose.yml'),
        '-p',
        project,
        'up',
        '--watch',
        'ok',
      ])
      expect([none.code, none.stderr]).toEqual([
        1,
        'none of the selected services is configured for watch, see https://docs.docker.com/compose/how-tos/file-watch/\n',
      ])
      expect((await runCli(['-f', file, '-p', project, 'up', '-d', '--watch'])).stderr).toContain(
        '-d cannot be combined with',
      )
    } finally {
      await runCli(['-f', file, '-p', project, 'down', '-t', '0'])
    }
    expect(await leftOf(project)).toEqual([])
  }, 240_000)

  it('up on a terminal shows the menu: w starts the watch and stops it, Ctrl+C stops the run', async () => {
    const dir = copyOfFixture()
    const project = uniqueProjectName('watch-menu')
    const file = join(dir, 'compose.yml')
    const up = onTerminal(['-f', file, '-p', project, 'up', 'synced'])
    try {
      await up.waitFor(/w Enable Watch/)
      up.press('w')
      await up.waitFor(/w Disable Watch/)
      writeFileSync(join(dir, 'src', 'menu.txt'), 'menu\n')
      const synced = (await Compose.fromFiles(file).withProjectName(project).attach()).service('synced')
      expect(
        await eventually(
          () => listing(synced, '/app/src'),
          (l) => l.includes('./menu.txt'),
          WAIT_MS,
        ),
      ).toContain('./menu.txt')
      up.press('w')
      await up.waitFor(/Watch disabled[\s\S]*w Enable Watch/)
      // The watch's lines after the prefix Compose v2 gives them among the containers' (green on a terminal).
      // eslint-disable-next-line no-control-regex
      expect(up.output).toMatch(/ {10}⦿ (\x1b\[0m)?Watch enabled/)
      up.press('\x03')
      expect(await up.exited).toBe(130)
      expect(up.output).toContain('Gracefully stopping...')
    } finally {
      up.kill()
      await runCli(['-f', file, '-p', project, 'down', '-t', '0'])
    }
    expect(await leftOf(project)).toEqual([])
  }, 240_000)

  it('syncs and leaves out what Compose v2 syncs and leaves out, each tool watching the same files', async () => {
    const dir = copyOfFixture()
    const base = uniqueProjectName('watch-v2')
    const file = join(dir, 'compose.yml')
    const [ours, theirs] = [`${base}-h`, `${base}-r`]
    const reference = referenceCompose()
    const v2 = spawn(reference[0]!, [...reference.slice(1), '-f', file, '-p', theirs, 'watch', 'synced'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let v2Output = ''
    v2.stdout.on('data', (d: Buffer) => (v2Output += d.toString()))
    v2.stderr.on('data', (d: Buffer) => (v2Output += d.toString()))
    const harness = startCli(['-f', file, '-p', ours, 'watch', 'synced'], { timeoutMs: 180_000 })
    try {
      await harness.waitFor(/^Watch enabled$/m)
      expect(
        await eventually(
          async () => v2Output,
          (o) => o.includes('Watch enabled'),
          120_000,
        ),
      ).toContain('Watch enabled')
      const handles = await Promise.all(
        [ours, theirs].map(async (p) => (await Compose.fromFiles(file).withProjectName(p).attach()).service('synced')),
      )
      writeFileSync(join(dir, 'src', 'added.txt'), 'added\n')
      writeFileSync(join(dir, 'src', 'ignored.txt'), 'changed, and ignored\n')
      writeFileSync(join(dir, 'src', '.added.txt.swp'), 'an editor’s\n')
      rmSync(join(dir, 'src', 'first.txt'))
      const expected = './added.txt\n'
      const listings = await Promise.all(
        handles.map((h) =>
          eventually(
            () => listing(h, '/app/src'),
            (l) => l === expected,
            WAIT_MS,
          ),
        ),
      )
      expect(listings[0]).toBe(listings[1])
      expect(listings[1]).toBe(expected)
    } finally {
      v2.kill('SIGINT')
      harness.signal('SIGINT')
      await harness.exited
      await new Promise((r) => (v2.exitCode === null ? v2.on('close', r) : r(undefined)))
      await Promise.all([ours, theirs].map((p) => runCli(['-f', file, '-p', p, 'down', '-t', '0'])))
    }
    expect([...(await leftOf(ours)), ...(await leftOf(theirs))]).toEqual([])
  }, 240_000)
})

async function removeImage(name: string): Promise<void> {
  await (
    await connectEngine()
  ).container.dockerode
    .getImage(name)
    .remove()
    .catch(() => {})
}

/** The CLI run on a terminal of its own (util-linux's `script`): what it shows, keys pressed, its end. */
function onTerminal(args: readonly string[]) {
  const quoted = [process.execPath, resolve('bin/compose-harness.js'), ...args].map(
    (a) => `'${a.replaceAll("'", "'\\''")}'`,
  )
  const child = spawn('script', ['-qfec', quoted.join(' '), '/dev/null'], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', TERM: 'xterm' },
  })
  let output = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
  const exited = new Promise<number>((done) => child.on('close', (code) => done(code ?? 1)))
  return {
    get output() {
      return output
    },
    exited,
    press: (key: string) => child.stdin.write(key),
    /** Resolves once `pattern` is shown; throws with what was shown after WAIT_MS. */
    waitFor: async (pattern: RegExp) => {
      const shown = await eventually(
        async () => output,
        (o) => pattern.test(o),
        WAIT_MS,
        100,
      )
      expect(shown, `waiting for ${String(pattern)}`).toMatch(pattern)
    },
    kill: () => child.kill('SIGKILL'),
  }
}
