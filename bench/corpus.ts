/**
 * `npm run corpus -- DIR…`: how much of a corpus of real compose files compose-harness takes as
 * Compose v2 does. Every compose file under DIR is loaded by both tools (as `-f FILE`, from its own
 * directory, with only PATH and HOME in the environment); then what the harness loads is put to
 * `up`'s checks of what it can apply, on each engine of the matrix (by its API version; no engine is
 * needed and nothing is created). Prints:
 * - the share of files loaded into the same model, or refused by both (known divergences counted apart);
 * - for each engine, the share of valid files (those Compose v2 loads) that `up` accepts, and every
 *   refusal on the oldest engine by reason, with what a newer engine accepts of them.
 */
import { readdirSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { Compose } from '../harness/api/compose.js'
import { compareModels } from '../harness/conformance/compare-model.js'
import { divergenceOf } from '../harness/conformance/divergences.js'
import { formatFinding } from '../harness/conformance/findings.js'
import { referenceCompose } from '../harness/conformance/reference-compose.js'
import { HarnessError } from '../harness/errors.js'
import { ComposeError } from '../harness/model/document/compose-error.js'
import { refuseUnapplied } from '../harness/runtime/create/applied-keys.js'
import { beyondEngine, ignoredByEveryEngine } from '../harness/runtime/create/engine-limits.js'
import { MULTI_PLATFORM_REFUSAL, multiPlatformBuilds } from '../harness/runtime/images/build-control.js'
import { MATRIX_ENGINES } from '../specs/engines/engines.js'

const COMPOSE_FILE = /^(docker-)?compose([.-][^/]*)?\.ya?ml$/

function composeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (name === 'node_modules' || name.startsWith('.')) return []
    if (statSync(path).isDirectory()) return composeFiles(path)
    return COMPOSE_FILE.test(name) ? [path] : []
  })
}

interface Outcome {
  readonly file: string
  readonly differences: string[]
  readonly known: number
  readonly bothRefused: boolean
  /** Compose v2 loads the file (it is valid), whatever the harness does. */
  readonly valid: boolean
  /** Engine API version → why `up` refuses the file on such an engine (absent: accepted). */
  readonly upRefusals: Readonly<Record<string, string>>
}

async function measure(file: string, reference: readonly string[]): Promise<Outcome> {
  const environment = { PATH: process.env.PATH, HOME: process.env.HOME }
  const c = { files: [file], environment, projectDirectory: dirname(file) }
  const findings = await compareModels(c, reference)
  const unknown = findings.filter((f) => !divergenceOf(f))
  const upRefusals: Record<string, string> = {}
  let loaded = false
  try {
    const l = Compose.fromSettings(c).load()
    loaded = true
    // What no engine applies is refused on all of them alike; the rest by each engine's API version.
    // A build for several platforms is refused when it is built (a fresh engine has no image for it), as v2 refuses it.
    const unapplied =
      refusal(() => refuseUnapplied(l)) ??
      (multiPlatformBuilds(Object.values(l.project.services)).length > 0 ? MULTI_PLATFORM_REFUSAL : undefined)
    for (const { api } of MATRIX_ENGINES) {
      const beyond = [...beyondEngine(l, api), ...ignoredByEveryEngine(l)]
      const why = unapplied ?? (beyond.length > 0 ? new ComposeError(beyond).message : undefined)
      if (why !== undefined) upRefusals[api] = why
    }
  } catch (error) {
    if (!(error instanceof HarnessError)) throw error
  }
  const bothRefused = !loaded && findings.length === 0
  return {
    file,
    differences: unknown.map(formatFinding),
    known: findings.length - unknown.length,
    bothRefused,
    // Compose v2 refused it when both did, or when it alone did (its refusal is in the finding).
    valid: !bothRefused && !findings.some((f) => f.kind === 'validity' && f.reference !== undefined),
    upRefusals,
  }
}

/** The message of the harness error `check` throws, if it throws one. */
function refusal(check: () => void): string | undefined {
  try {
    check()
    return undefined
  } catch (error) {
    if (!(error instanceof HarnessError)) throw error
    return error.message
  }
}

const dirs = process.argv.slice(2).filter((a) => a !== '--')
if (dirs.length === 0) {
  console.error('usage: npm run corpus -- DIR…  (every compose file under each DIR)')
  process.exit(2)
}
const reference = referenceCompose()
const oldest = MATRIX_ENGINES[0]!.api
const files = dirs.flatMap((d) => composeFiles(resolve(d))).sort()
const outcomes: Outcome[] = []
const queue = [...files]
await Promise.all(
  Array.from({ length: 4 }, async () => {
    for (let f = queue.shift(); f; f = queue.shift()) outcomes.push(await measure(f, reference))
  }),
)
outcomes.sort((a, b) => a.file.localeCompare(b.file))
const name = (f: string) => relative(process.cwd(), f)
const percent = (n: number, of: number) => `${n}/${of} (${((100 * n) / Math.max(of, 1)).toFixed(1)}%)`
const same = outcomes.filter((o) => o.differences.length === 0)
const valid = same.filter((o) => o.valid)
for (const o of outcomes.filter((o) => o.differences.length > 0)) {
  console.log(`DIFFERS ${name(o.file)}`)
  for (const d of o.differences) console.log(`  ${d.split('\n')[0]}`)
}
const reasons = new Map<string, string[]>()
for (const o of valid.filter((o) => o.upRefusals[oldest]))
  for (const line of o.upRefusals[oldest]!.split('\n')) {
    const reason = line
      .replace(/^.*? services\.[^.]+\.([^ ]+?)(\[\d+\])?: /, '$1: ')
      .replace(/[a-z_-]+\.[a-z_-]+ comes from/, '… comes from')
    reasons.set(reason, [...new Set([...(reasons.get(reason) ?? []), name(o.file)])])
  }
for (const [reason, where] of [...reasons].sort((a, b) => b[1].length - a[1].length))
  console.log(
    `UP REFUSES on Docker ${MATRIX_ENGINES[0]!.docker}: ${where.length}× ${reason}\n  ${where.slice(0, 3).join('\n  ')}`,
  )
console.log(`files: ${outcomes.length}`)
console.log(
  `loaded as Compose v2 loads them: ${percent(same.length, outcomes.length)} (refused by both: ${outcomes.filter((o) => o.bothRefused).length}; with known divergences: ${same.filter((o) => o.known > 0).length})`,
)
for (const { docker, api } of MATRIX_ENGINES) {
  const accepted = valid.filter((o) => !o.upRefusals[api])
  console.log(
    `accepted by up on Docker ${docker} (API ${api}), of the valid ones: ${percent(accepted.length, valid.length)}`,
  )
}
