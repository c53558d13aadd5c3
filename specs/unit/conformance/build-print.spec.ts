import { describe, expect, it } from 'vitest'
import { harnessCompose, referenceEnvironment, referenceFlags } from '../../../harness/conformance/compare-model.js'
import { referenceCompose, runReference } from '../../../harness/conformance/reference-compose.js'
import { caseFolders, caseIn } from '../support/conformance-cases.js'
import { runCliSync } from '../../support/cli.js'

// `build --print` against Compose v2 (which prints it without buildx): every case that builds.
const reference = referenceCompose()
const cases = [
  ...caseFolders('fixtures/conformance/images').map(([n, d]) => [`images/${n}`, d] as [string, string]),
  ...['build', 'build-long', 'build-contexts-list'].map(
    (n) => [n, `fixtures/conformance/model/${n}`] as [string, string],
  ),
]

/** The file as compared: Compose's own version label left out (each tool writes its own), the group's targets sorted (v2's are in a Go map's order). */
function comparable(json: string) {
  const bake = JSON.parse(json) as {
    group: { default: { targets: string[] } }
    target: Record<string, { labels?: Record<string, string> }>
  }
  for (const t of Object.values(bake.target)) delete t.labels?.['com.docker.compose.version']
  bake.group.default.targets.sort()
  return bake
}

describe('build --print, against Compose v2', () => {
  it('the CLI prints it as Go writes JSON, builds nothing, and takes --push and --no-cache', async () => {
    const args = ['-f', 'fixtures/echo/docker-compose.yml', '-f', 'fixtures/echo/docker-compose.build.yml']
    const flags = ['build', '--print', '--push', '--no-cache', 'client']
    const ours = runCliSync([...args, ...flags])
    const theirs = await runReference(reference, [...args, ...flags])
    expect(ours.code, ours.stderr).toBe(0)
    expect(comparable(ours.stdout)).toEqual(comparable(theirs.stdout))
    expect(JSON.parse(ours.stdout).target.client['no-cache']).toBe(true)
  })

  it.concurrent.each(cases)('%s: the same bake file', async (_, dir) => {
    const c = caseIn(dir)
    const theirs = await runReference(reference, [...referenceFlags(c), 'build', '--print'], {
      env: referenceEnvironment(c),
    })
    expect(theirs.code, theirs.stderr).toBe(0)
    const ours = harnessCompose(c).bakeDefinition()
    expect(comparable(JSON.stringify(ours))).toEqual(comparable(theirs.stdout))
  })
})
