import { join, resolve } from 'node:path'
import { describe, expect, inject, it } from 'vitest'
import { referenceCompose, runReference } from '../../../harness/conformance/reference-compose.js'
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
  it('is the same, resource by resource, plain and json: up, up again, stop, start, restart, scale, kill, rm, volumes and down -v', async () => {
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
      await same(['kill', 'worker'])
      await same(['rm', '-f', 'worker'])
      await same(['down', '-v', '-t', '1'])
    } finally {
      await Promise.all([harness(['down', '-v', '-t', '0']), reference(['down', '-v', '-t', '0'])])
    }
    expect([...(await leftOf(projects.harness)), ...(await leftOf(projects.reference))]).toEqual([])
  })
})
