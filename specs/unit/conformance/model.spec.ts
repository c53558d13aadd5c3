import { readdirSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  compareHashes,
  compareModels,
  harnessCompose,
  type ModelPrinting,
  referenceEnvironment,
  referenceFlags,
} from '../../../harness/conformance/compare-model.js'
import { divergenceOf } from '../../../harness/conformance/divergences.js'
import { formatFinding, type Finding } from '../../../harness/conformance/findings.js'
import { referenceCompose, runReference } from '../../../harness/conformance/reference-compose.js'
import { caseFolders, caseIn } from '../support/conformance-cases.js'
import { usesOfVariables } from '../../../harness/model/interpolate/variables.js'
import { parseComposeDocuments } from '../../../harness/model/document/parse.js'
import { config } from '../../../harness/cli/commands/config.js'
import type { Io } from '../../../harness/cli/io.js'

// Compose v2 needs no engine to load files, so these comparisons run with the unit specs.
const reference = referenceCompose()
const untabled = (findings: Finding[]) => findings.filter((f) => !divergenceOf(f)).map(formatFinding)

const projects = [
  ...caseFolders('fixtures/conformance/model'),
  ...caseFolders('fixtures/conformance/containers').map(([n, d]) => [`containers/${n}`, d] as [string, string]),
  ...['valid', 'runtime', 'failures'].flatMap((root) =>
    caseFolders(`fixtures/${root}`).map(([n, d]) => [`${root}/${n}`, d] as [string, string]),
  ),
  ['echo', resolve('fixtures/echo')] as [string, string],
]

describe('the model, against Compose v2', () => {
  it('has a case for each attribute the corpus covers', () => {
    expect(caseFolders('fixtures/conformance/model').length).toBeGreaterThanOrEqual(25)
  })

  it.concurrent.each(projects)("%s: config --format json is the same as Compose v2's", async (_, dir) => {
    // The runtime fixtures read variables their specs set; a value of the right shape keeps both tools quiet.
    expect(untabled(await compareModels(caseIn(dir, { SETTINGS_NAME: 'conformance-settings' }), reference))).toEqual([])
  })

  it.concurrent.each(projects)(
    "%s: config --no-normalize and --no-path-resolution are the same as Compose v2's",
    async (_, dir) => {
      const c = caseIn(dir, { SETTINGS_NAME: 'conformance-settings' })
      expect(untabled(await compareModels(c, reference, { normalize: false }))).toEqual([])
      expect(untabled(await compareModels(c, reference, { resolvePaths: false }))).toEqual([])
    },
  )

  it.concurrent.each(projects)(
    "%s: config --no-interpolate is the same as Compose v2's, normalized or not, paths resolved or not",
    async (_, dir) => {
      const c = caseIn(dir, { SETTINGS_NAME: 'conformance-settings' })
      expect(untabled(await compareModels(c, reference, { interpolate: false }))).toEqual([])
      expect(untabled(await compareModels(c, reference, { interpolate: false, normalize: false }))).toEqual([])
      expect(untabled(await compareModels(c, reference, { interpolate: false, resolvePaths: false }))).toEqual([])
    },
  )

  const printings: [string[], ModelPrinting][] = [
    [['--format', 'yaml'], {}],
    [['--format', 'json'], {}],
    [['--no-normalize'], { normalize: false }],
    [['--no-interpolate'], { interpolate: false }],
  ]
  it.concurrent.each(projects)(
    "%s: config's text is Compose v2's byte for byte (YAML, JSON, --no-normalize, --no-interpolate)",
    async (_, dir) => {
      const c = caseIn(dir, { SETTINGS_NAME: 'conformance-settings' })
      for (const [flags, printing] of printings) {
        const theirs = await runReference(reference, [...referenceFlags(c), 'config', ...flags], {
          env: referenceEnvironment(c),
        })
        if (theirs.code !== 0) continue
        const ours = await printed(flags, harnessCompose(c))
        // Where the models differ as the divergence table says, so does the text (compared above).
        if (ours !== theirs.stdout && (await compareModels(c, reference, printing)).length > 0) continue
        expect(ours, flags.join(' ')).toBe(theirs.stdout)
      }
    },
  )

  it.concurrent.each(projects)("%s: config --hash is the same as Compose v2's", async (_, dir) => {
    expect(untabled(await compareHashes(caseIn(dir, { SETTINGS_NAME: 'conformance-settings' }), reference))).toEqual([])
  })

  it.concurrent.each(projects)("%s: config --variables is the same as Compose v2's", async (_, dir) => {
    const c = caseIn(dir, { SETTINGS_NAME: 'conformance-settings' })
    const theirs = await runReference(reference, [...referenceFlags(c), 'config', '--variables', '--format', 'json'], {
      env: referenceEnvironment(c),
    })
    // Files v2 cannot load are compared above; an include's own files are not read here (see the divergence table).
    if (theirs.code !== 0 || readFileSync(c.files[0]!, 'utf8').includes('include:')) return
    type Listed = Record<string, { Name: string; DefaultValue: string; PresenceValue: string; Required: boolean }>
    const listed = JSON.parse(theirs.stdout || '{}') as Listed
    const ours = harnessCompose(c).variables()
    expect(ours.map((v) => v.name)).toEqual(Object.keys(listed).sort())
    // A name used several ways is listed by one of its uses, which v2 picks at random.
    const uses = c.files.flatMap((f) =>
      parseComposeDocuments(f, readFileSync(f, 'utf8')).flatMap((d) => usesOfVariables(d.value)),
    )
    for (const v of Object.values(listed)) {
      const candidates = uses.filter((u) => u.name === v.Name)
      expect(candidates, v.Name).toContainEqual({
        name: v.Name,
        defaultValue: v.DefaultValue,
        presenceValue: v.PresenceValue,
        required: v.Required,
      })
    }
  })

  const invalid = readdirSync('fixtures/invalid')
    .filter((f) => f.endsWith('.yml'))
    .sort()
  it.concurrent.each(invalid)(
    'invalid/%s is refused by both, or differs only as the divergence table says',
    async (name) => {
      const findings = await compareModels(
        { files: [resolve('fixtures/invalid', name)], environment: { PATH: process.env.PATH, HOME: '/home/tester' } },
        reference,
      )
      expect(untabled(findings)).toEqual([])
    },
  )
})

/** What the CLI's `config` prints for the project, run in this process. */
async function printed(args: string[], compose: ReturnType<typeof harnessCompose>): Promise<string> {
  let out = ''
  const io: Io = {
    say: (line) => (out += `${line}\n`),
    sayText: (text) => (out += text),
    warn: () => undefined,
    status: () => undefined,
    statusText: () => undefined,
    statusStream: process.stderr,
    readerGone: new Promise<void>(() => undefined),
    drained: () => undefined,
  }
  await config(compose, args, io)
  return out
}
