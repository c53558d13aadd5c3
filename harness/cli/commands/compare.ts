import { compareContainers } from '../../conformance/compare-containers.js'
import { compareModels, type ModelCase } from '../../conformance/compare-model.js'
import { divergenceOf } from '../../conformance/divergences.js'
import { formatFinding, type Finding } from '../../conformance/findings.js'
import { findReferenceCompose, referenceCompose } from '../../conformance/reference-compose.js'
import { formatOf, type OptionTable, parseOptions } from '../options.js'
import type { Io } from '../io.js'
import type { GlobalFlags } from '../global-flags.js'
import { resolve } from 'node:path'
import { FILE_SYSTEM, findProject, projectFiles } from '../project-files.js'
import type { AloneCommand } from './command.js'

/** `compare`'s options. */
export const COMPARE_OPTIONS = {
  containers: { type: 'boolean' },
  format: { type: 'string' },
} as const satisfies OptionTable

/**
 * `compare [--containers] [--format text|json]`: runs the user's own files through the harness
 * and Compose v2 and reports where they differ, each difference either a known divergence (with
 * its reason and the way to v2's behaviour) or not. Exits 1 when any difference is not known.
 */
export const compare: AloneCommand = (globals, args, io) => compareFiles(modelCaseFor(globals), args, io)

/** The comparison itself, of the files and settings `c` gives both tools. */
export async function compareFiles(c: ModelCase, args: string[], { say }: Io): Promise<number> {
  const { values } = parseOptions('compare', args, COMPARE_OPTIONS)
  const format = formatOf('compare', values.format, ['text', 'json'])
  const found = findReferenceCompose()
  const reference = found.command ?? referenceCompose()
  const findings = await compareModels(c, reference)
  const loaded = !findings.some((f) => f.kind === 'validity')
  if (values.containers && loaded) {
    const project = c.projectName ?? 'compare'
    findings.push(...(await compareContainers(c, reference, `${project}-compare-${process.pid}`)))
  }
  const unknown = findings.filter((f) => !divergenceOf(f))
  if (format === 'json') {
    for (const f of findings) say(JSON.stringify({ ...f, divergence: divergenceOf(f)?.id ?? null }))
    return unknown.length > 0 ? 1 : 0
  }
  const version = found.command ? ` ${found.version}` : ''
  const scope = values.containers
    ? 'load these files into the same model and create the same containers, networks and volumes from them'
    : 'load these files into the same model'
  if (findings.length === 0) {
    say(`compose-harness and Compose v2${version} ${scope}.`)
    return 0
  }
  for (const f of findings) say(describeFinding(f))
  say(
    unknown.length === 0
      ? `compose-harness and Compose v2${version} differ only where the harness differs on purpose (${findings.length} known).`
      : `compose-harness and Compose v2${version} differ in ${unknown.length} way(s) the harness does not mean to: please report them.`,
  )
  return unknown.length > 0 ? 1 : 0
}

function describeFinding(f: Finding): string {
  const divergence = divergenceOf(f)
  if (!divergence) return `DIFFERS ${formatFinding(f)}`
  return `known   ${formatFinding(f)}\n        (${divergence.id}: ${divergence.why}${divergence.option ? ` ${divergence.option}` : ''})`
}

/** The files and settings the global flags give, as the comparison with Compose v2 takes them. */
function modelCaseFor(globals: GlobalFlags): ModelCase {
  const found = findProject(globals, process.env, FILE_SYSTEM)
  return {
    files: projectFiles(found),
    environment: found.environment ?? process.env,
    ...(globals.profiles.length > 0 && { profiles: globals.profiles }),
    ...(globals.projectName !== undefined && { projectName: globals.projectName }),
    ...(globals.projectDirectory !== undefined && { projectDirectory: resolve(globals.projectDirectory) }),
    ...(found.envFiles && { envFiles: found.envFiles }),
  }
}
