import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, inject, it } from 'vitest'
import { divergenceOf } from '../../../harness/conformance/divergences.js'
import { formatFinding, type CommandOutcome, type Finding } from '../../../harness/conformance/findings.js'
import { referenceCompose, runReference } from '../../../harness/conformance/reference-compose.js'
import { plain, runCli } from '../../support/cli.js'
import { leftOf } from '../support/observe.js'
import { uniqueProjectName } from '../support/test-projects.js'

const FILE = resolve('fixtures/conformance/lifecycle/compose.yml')

/** What a command printed, the project's name as P, each stream's lines sorted (containers act at once, in no set order); v2's log lines left out, its warnings too unless `warnings`. */
const printed = (
  run: { code: number; stdout: string; stderr: string },
  project: string,
  warnings = false,
): CommandOutcome => {
  const lines = (text: string) =>
    plain(text)
      .split(project)
      .join('P')
      .split('\n')
      .map((l) => l.trim().replace(/\s+/g, ' '))
      .filter((l) => l !== '' && !(warnings ? /level=info/ : /level=(info|warn)/).test(l))
      .sort()
  return { code: run.code, stdout: lines(run.stdout), stderr: lines(run.stderr) }
}

// Each line run with `-p NAME` by both tools, each on a project of its own, from a directory whose
// compose file has none of the project's services: Compose v2 then goes by the name (the
// containers' labels), not by the file, and so must the harness. The commands that pick one
// container (exec, port, cp, commit, export, attach) do so even with `-f` naming that file.
const LINES: readonly (readonly string[])[] = [
  ['ps', 'nosuch'],
  // No container of it: nothing to do, the networks left alone.
  ['down', 'nosuch'],
  ['exec', 'web', 'true'],
  ['-f', 'compose.yml', 'exec', 'web', 'true'],
  ['-f', 'compose.yml', 'exec', 'other', 'true'],
  ['exec', 'nosuch', 'true'],
  ['exec', '--index', '2', 'web', 'true'],
  ['port', 'nosuch', '80'],
  ['cp', 'nosuch:/etc/hostname', '-'],
  ['commit', 'nosuch'],
  ['export', 'nosuch', '-o', 'nosuch.tar'],
  ['attach', 'nosuch'],
  ['ps', 'web', '--format', '{{.Name}}'],
  ['ps', '-a', '--format', '{{.Service}} {{.State}}'],
  ['logs', 'nosuch'],
  ['stop', 'nosuch'],
  ['kill', 'nosuch'],
  ['images', 'nosuch'],
  ['top', 'nosuch'],
  ['rm', '-f', 'nosuch'],
  ['start', 'nosuch'],
  ['restart', 'nosuch'],
  ['wait', 'nosuch'],
  ['pause'],
  ['ps', '-a', '--format', '{{.Service}} {{.State}}'],
  ['unpause'],
  ['stop', 'worker'],
  ['ps', '-a', '--format', '{{.Service}} {{.State}}'],
  // The harness also says what became of the container (`not-running-says-why`).
  ['exec', 'worker', 'true'],
  ['start', 'worker'],
  ['restart', 'web'],
  ['kill', '-s', 'SIGWINCH', 'web'],
  ['pause', 'web'],
  ['ps', '-a', '--format', '{{.Service}} {{.State}}'],
  // Last: a project partly paused is unpaused whole by the harness, where v2 fails (`pause-what-applies`).
  ['unpause', 'web', 'app'],
]

describe.skipIf(!inject('engineReady'))('a project by its name (-p without -f), against Compose v2', () => {
  it('acts by the containers’ labels even where a compose file is found: the same output and exit code for each line', async () => {
    const base = uniqueProjectName('conf-byname')
    const [ours, theirs] = [`${base}-h`, `${base}-r`]
    const dir = mkdtempSync(join(tmpdir(), 'conf-byname-'))
    writeFileSync(join(dir, 'compose.yml'), 'services:\n  other:\n    image: compose-harness-probe\n')
    const harness = (args: readonly string[], env: NodeJS.ProcessEnv = {}) =>
      runCli(['-p', ours, ...args], { cwd: dir, env, timeoutMs: 60_000 })
    const reference = (args: readonly string[], env: NodeJS.ProcessEnv = {}) =>
      runReference(referenceCompose(), ['-p', theirs, ...args], {
        cwd: dir,
        env: { ...process.env, ...env },
        timeoutMs: 60_000,
      })
    const findings: Finding[] = []
    try {
      expect((await harness(['-f', FILE, 'up', '-d'])).code).toBe(0)
      expect((await reference(['-f', FILE, 'up', '-d'])).code).toBe(0)
      for (const line of LINES) {
        const [h, r] = (await Promise.all([harness(line), reference(line)])).map((run, i) =>
          printed(run, i === 0 ? ours : theirs),
        )
        if (JSON.stringify(h) !== JSON.stringify(r))
          findings.push({ kind: 'command', command: line.join(' '), harness: h!, reference: r! })
      }
      // What the file in the directory names is not the project's: the harness's line proves it went by the name.
      expect((await harness(['ps', '--services'])).stdout.split('\n').filter(Boolean).sort()).toEqual([
        'app',
        'db',
        'watcher',
        'web',
        'worker',
      ])
      // Raw, as each tool writes it: `no container to kill` goes, with no newline, to the status stream,
      // which is standard output when COMPOSE_STATUS_STDOUT is true as Go's ParseBool reads it (`T`, not `tRuE`).
      await Promise.all([harness(['stop', 'worker']), reference(['stop', 'worker'])])
      for (const value of ['T', 'tRuE']) {
        const env = { COMPOSE_STATUS_STDOUT: value }
        const [h, r] = await Promise.all([harness(['kill', 'worker'], env), reference(['kill', 'worker'], env)])
        expect({ code: h.code, stdout: h.stdout, stderr: h.stderr }, value).toEqual({
          code: r.code,
          stdout: r.stdout,
          stderr: r.stderr,
        })
        expect(r[value === 'T' ? 'stdout' : 'stderr']).toBe('no container to kill')
      }
    } finally {
      await Promise.all([harness(['down', '-v', '-t', '0']), reference(['down', '-v', '-t', '0'])])
      rmSync(dir, { recursive: true, force: true })
    }
    expect(findings.filter((f) => !divergenceOf(f)).map(formatFinding)).toEqual([])
    expect([...(await leftOf(ours)), ...(await leftOf(theirs))]).toEqual([])
  }, 300_000)

  it('down of a project the engine has nothing of: warned of as v2 warns, unless the files give a network to go on to', async () => {
    const base = uniqueProjectName('conf-nothing')
    const dir = mkdtempSync(join(tmpdir(), 'conf-nothing-'))
    writeFileSync(join(dir, 'networked.yml'), 'services:\n  a:\n    image: compose-harness-probe\n')
    writeFileSync(
      join(dir, 'unnetworked.yml'),
      'services:\n  a:\n    image: compose-harness-probe\n    network_mode: none\n',
    )
    const findings: Finding[] = []
    try {
      for (const files of [[], ['-f', 'networked.yml'], ['-f', 'unnetworked.yml']]) {
        const line = ['-p', base, ...files, 'down']
        const [h, r] = await Promise.all([
          runCli(line, { cwd: dir, timeoutMs: 60_000 }),
          runReference(referenceCompose(), line, { cwd: dir, timeoutMs: 60_000 }),
        ])
        // Compose v2 warns where the files give no network, and only there.
        expect(r.stderr.includes('No resource found to remove'), line.join(' ')).toBe(files[1] !== 'networked.yml')
        const [ours, theirs] = [printed(h, base, true), printed(r, base, true)]
        if (JSON.stringify(ours) !== JSON.stringify(theirs))
          findings.push({ kind: 'command', command: line.join(' '), harness: ours, reference: theirs })
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
    expect(findings.filter((f) => !divergenceOf(f)).map(formatFinding)).toEqual([])
    expect(findings.length, 'the warnings, in each tool’s words').toBe(2)
  })
})
