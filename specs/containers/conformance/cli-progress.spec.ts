import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, inject, it } from 'vitest'
import { referenceCompose, runReference } from '../../../harness/conformance/reference-compose.js'
import { listTar } from '../../../harness/conformance/tar-listing.js'
import { connectEngine } from '../../../harness/runtime/engine/engine.js'
import { runCli } from '../../support/cli.js'
import { leftOf } from '../support/observe.js'
import { uniqueProjectName } from '../support/test-projects.js'

const FILE = join(resolve('fixtures/conformance/lifecycle'), 'compose.yml')

/**
 * Each resource's steps, in order, from `--progress plain` lines (` Container p-web-1  Stopping`),
 * the project's name made neutral. Lines of the two tools interleave differently (both work on
 * several containers at once); each resource's own sequence does not.
 */
function stepsOf(stderr: string, project: string): Record<string, string[]> {
  const steps: Record<string, string[]> = {}
  for (const line of stderr.split('\n')) {
    // A JSON line is compared whole: its fields and their order too.
    const match = line.startsWith('{')
      ? [line, (JSON.parse(line) as { id: string }).id, line]
      : /^ ((?:Container|Network|Volume|Image) \S+) {2}(.+)$/.exec(line)
    if (!match) continue
    const id = match[1]!.replaceAll(project, '<project>')
    steps[id] = [...(steps[id] ?? []), match[2]!.replaceAll(project, '<project>')]
  }
  return steps
}

/**
 * The steps Compose 2.40 and the harness print as they go, for one project each brought through
 * the same commands: the same resources, each with the same words in the same order, on this
 * machine's engine and on each of the engine matrix.
 */
describe.skipIf(!inject('engineReady'))('the progress of Compose v2 and the harness', () => {
  it('is the same, resource by resource, plain and json: up, up again, stop, start, restart, scale, volumes, commit, export, kill, rm and down -v', async () => {
    const base = uniqueProjectName('progress')
    const projects = { harness: `${base}-h`, reference: `${base}-r` }
    const env = { ...process.env, WORKER_IMAGE: 'compose-harness-probe' }
    let mode = 'plain'
    const harness = (args: string[]) =>
      runCli(['-p', projects.harness, '-f', FILE, '--progress', mode, ...args], { env, timeoutMs: 120_000 })
    const reference = (args: string[]) =>
      runReference(referenceCompose(), ['-p', projects.reference, '-f', FILE, '--progress', mode, ...args], {
        env,
        timeoutMs: 120_000,
      })
    const same = async (args: string[]): Promise<void> => {
      const [ours, theirs] = await Promise.all([harness(args), reference(args)])
      expect([ours.code, theirs.code], `${args.join(' ')}: ${ours.stderr}\n${theirs.stderr}`).toEqual([0, 0])
      expect(stepsOf(ours.stderr, projects.harness), args.join(' ')).toEqual(stepsOf(theirs.stderr, projects.reference))
      expect(ours.stdout.replaceAll(projects.harness, '<p>'), args.join(' ')).toBe(
        theirs.stdout.replaceAll(projects.reference, '<p>'),
      )
    }
    const committed: string[] = []
    const here = mkdtempSync(join(tmpdir(), 'compose-harness-export-'))
    /** `commit` and `export` name what they made or wrote: the same steps once those are made neutral. */
    const sameCommitAndExport = async (): Promise<void> => {
      const neutral = (stderr: string, project: string, file: string) =>
        stderr
          .replaceAll(project, '<project>')
          .replaceAll(file, '<file>')
          .replace(/sha256:[0-9a-f]{64}/g, '<image>')
          .split('\n')
          .filter((l) => l.startsWith(' '))
      const [ours, theirs] = await Promise.all([harness(['commit', 'worker']), reference(['commit', 'worker'])])
      committed.push(...(`${ours.stderr}${theirs.stderr}`.match(/sha256:[0-9a-f]{64}/g) ?? []))
      expect([ours.code, theirs.code], `${ours.stderr}\n${theirs.stderr}`).toEqual([0, 0])
      expect(neutral(ours.stderr, projects.harness, '')).toEqual(neutral(theirs.stderr, projects.reference, ''))
      expect(committed).toHaveLength(2)
      const files = { harness: join(here, 'h.tar'), reference: join(here, 'r.tar') }
      const [exported, theirsExported] = await Promise.all([
        harness(['export', '-o', files.harness, 'worker']),
        reference(['export', '-o', files.reference, 'worker']),
      ])
      expect([exported.code, theirsExported.code]).toEqual([0, 0])
      expect(neutral(exported.stderr, projects.harness, files.harness)).toEqual(
        neutral(theirsExported.stderr, projects.reference, files.reference),
      )
      const names = async (file: string) => (await listTar(createReadStream(file))).map((e) => e.path).sort()
      expect(await names(files.harness)).toEqual(await names(files.reference))
    }
    try {
      await same(['up', '-d'])
      await same(['up', '-d'])
      await same(['stop', 'app'])
      await same(['start'])
      mode = 'json'
      await same(['restart', 'db'])
      mode = 'plain'
      await same(['scale', 'worker=2'])
      await same(['volumes'])
      await same(['volumes', '-q', 'db'])
      await same(['volumes', '--format', 'table {{.Name}}\\t{{.Driver}}\\t{{.Scope}}'])
      await sameCommitAndExport()
      await same(['kill', 'worker'])
      await same(['rm', '-f', 'worker'])
      await same(['down', '-v', '-t', '1'])
    } finally {
      await Promise.all([harness(['down', '-v', '-t', '0']), reference(['down', '-v', '-t', '0'])])
      const docker = (await connectEngine()).container.dockerode
      await Promise.allSettled(committed.map((id) => docker.getImage(id).remove()))
      rmSync(here, { recursive: true, force: true })
    }
    expect([...(await leftOf(projects.harness)), ...(await leftOf(projects.reference))]).toEqual([])
  })
})

describe.skipIf(!inject('engineReady'))('a failed up -d --wait of Compose v2 and the harness', () => {
  it('fails both, and keeps the same containers for ps -a and logs', async () => {
    const file = resolve('fixtures/failures/never-healthy/compose.yml')
    const base = uniqueProjectName('wait-fails')
    const projects = { harness: `${base}-h`, reference: `${base}-r` }
    const harness = (args: string[]) =>
      runCli(['-p', projects.harness, '-f', file, '--progress', 'plain', ...args], { timeoutMs: 120_000 })
    const reference = (args: string[]) =>
      runReference(referenceCompose(), ['-p', projects.reference, '-f', file, '--progress', 'plain', ...args], {
        timeoutMs: 120_000,
      })
    try {
      const [ours, theirs] = await Promise.all([
        harness(['up', '-d', '--wait', '--wait-timeout', '20']),
        reference(['up', '-d', '--wait', '--wait-timeout', '20']),
      ])
      expect([ours.code, theirs.code], `${ours.stderr}\n${theirs.stderr}`).toEqual([1, 1])
      // Each keeps its one container, stopped or not, with its state and its output.
      const kept = async (tool: (args: string[]) => Promise<{ stdout: string }>) => {
        const listed = await tool(['ps', '-a', '--format', 'json'])
        return listed.stdout
          .split('\n')
          .filter(Boolean)
          .map((l) => (JSON.parse(l) as { Service: string }).Service)
      }
      expect(await kept(harness)).toEqual(['db'])
      expect(await kept(reference)).toEqual(['db'])
      const [ourLogs, theirLogs] = await Promise.all([
        harness(['logs', '--no-log-prefix', 'db']),
        reference(['logs', '--no-log-prefix', 'db']),
      ])
      expect(ourLogs.code).toBe(0)
      expect(ourLogs.stdout).toBe(theirLogs.stdout)
    } finally {
      await Promise.all([harness(['down', '-t', '0']), reference(['down', '-t', '0'])])
    }
    expect([...(await leftOf(projects.harness)), ...(await leftOf(projects.reference))]).toEqual([])
  })
})

describe.skipIf(!inject('engineReady'))(
  "the engine's warnings as Compose v2 and the harness create a container",
  () => {
    it('are shown alike, under the service’s name, plain and json', async () => {
      // A blkio weight: an engine whose kernel cannot apply it warns at create, and creates the container all the same.
      const dir = mkdtempSync(join(tmpdir(), 'compose-harness-warned-'))
      const file = join(dir, 'compose.yml')
      writeFileSync(
        file,
        'services:\n  app:\n    image: compose-harness-probe\n    init: true\n    blkio_config: {weight: 300}\n',
      )
      const base = uniqueProjectName('warned')
      const projects = { harness: `${base}-h`, reference: `${base}-r` }
      const harness = (args: string[]) => runCli(['-p', projects.harness, '-f', file, ...args], { timeoutMs: 120_000 })
      const reference = (args: string[]) =>
        runReference(referenceCompose(), ['-p', projects.reference, '-f', file, ...args], { timeoutMs: 120_000 })
      /** The lines about the service itself (not its container): ` app <warning> `, or `{"id":"app",…}`. */
      const warnings = (stderr: string) =>
        stderr.split('\n').filter((line) => line.startsWith(' app ') || line.startsWith('{"id":"app"'))
      try {
        for (const mode of ['plain', 'json']) {
          const [ours, theirs] = await Promise.all([
            harness(['--progress', mode, 'up', '-d']),
            reference(['--progress', mode, 'up', '-d']),
          ])
          expect([ours.code, theirs.code], `${ours.stderr}\n${theirs.stderr}`).toEqual([0, 0])
          expect(warnings(ours.stderr), mode).toEqual(warnings(theirs.stderr))
          await Promise.all([harness(['down', '-t', '0']), reference(['down', '-t', '0'])])
        }
      } finally {
        await Promise.all([harness(['down', '-t', '0']), reference(['down', '-t', '0'])])
        rmSync(dir, { recursive: true, force: true })
      }
      expect([...(await leftOf(projects.harness)), ...(await leftOf(projects.reference))]).toEqual([])
    })
  },
)
