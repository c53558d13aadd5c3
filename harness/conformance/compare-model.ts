import { Compose } from '../api/compose.js'
import { configHash } from '../model/pipeline/config-hash.js'
import { withoutNormalization } from '../model/pipeline/without-normalization.js'
import { toComposeDocument } from '../model/pipeline/to-compose.js'
import { configJson } from '../model/pipeline/config-text.js'
import { HarnessError } from '../errors.js'
import { canonicalModel } from './canonical-model.js'
import type { Finding } from './findings.js'
import { diffDocuments } from './model-diff.js'
import { runReference } from './reference-compose.js'

/** The files and settings both tools load, as `-f`, `--profile`, `-p`, `--project-directory` and the environment give them. */
export interface ModelCase {
  readonly files: readonly string[]
  /** The whole environment both tools see (Compose v2 reads COMPOSE_* variables from it too). */
  readonly environment: Readonly<Record<string, string | undefined>>
  readonly profiles?: readonly string[]
  readonly projectName?: string
  readonly projectDirectory?: string
  /** `--env-file` files (the project directory's `.env` when absent). */
  readonly envFiles?: readonly string[]
}

/** Compose v2's command-line flags for a case, the same for `config`, `up` and every other command. */
export function referenceFlags(c: ModelCase): string[] {
  return [
    ...c.files.flatMap((f) => ['-f', f]),
    ...(c.profiles ?? []).flatMap((p) => ['--profile', p]),
    ...(c.projectName ? ['-p', c.projectName] : []),
    ...(c.projectDirectory ? ['--project-directory', c.projectDirectory] : []),
    ...(c.envFiles ?? []).flatMap((f) => ['--env-file', f]),
  ]
}

/** The case as the harness's API takes it, under `projectName` when given. */
export function harnessCompose(c: ModelCase, projectName = c.projectName): Compose {
  return Compose.fromSettings({
    files: c.files,
    environment: c.environment,
    ...(c.profiles && { profiles: c.profiles }),
    ...(projectName && { projectName }),
    ...(c.projectDirectory && { projectDirectory: c.projectDirectory }),
    ...(c.envFiles && { envFiles: c.envFiles }),
  })
}

/** The variables that choose the engine: the reference talks to the engine this process's harness talks to. */
const ENGINE_VARIABLES = ['DOCKER_HOST', 'DOCKER_CONTEXT', 'DOCKER_TLS_VERIFY', 'DOCKER_CERT_PATH', 'DOCKER_CONFIG']

/** The case's environment as a child process takes it, with this process's choice of engine unless the case makes its own. */
export function referenceEnvironment(c: ModelCase): NodeJS.ProcessEnv {
  const engine = Object.fromEntries(
    ENGINE_VARIABLES.flatMap((name) => (process.env[name] ? [[name, process.env[name]]] : [])),
  )
  return {
    ...engine,
    ...Object.fromEntries(Object.entries(c.environment).filter((e): e is [string, string] => e[1] !== undefined)),
  }
}

/** How `config` is asked to print the model: `--no-normalize`, `--no-path-resolution`, `--no-interpolate`. */
export interface ModelPrinting {
  readonly normalize?: boolean
  readonly resolvePaths?: boolean
  readonly interpolate?: boolean
}

/** Loads the case with both tools and lists where their models differ, or which of them refused it. */
export async function compareModels(
  c: ModelCase,
  reference: readonly string[],
  { normalize = true, resolvePaths = true, interpolate = true }: ModelPrinting = {},
): Promise<Finding[]> {
  const flags = [
    ...(normalize ? [] : ['--no-normalize']),
    ...(resolvePaths ? [] : ['--no-path-resolution']),
    ...(interpolate ? [] : ['--no-interpolate']),
  ]
  const theirs = await runReference(reference, [...referenceFlags(c), 'config', ...flags, '--format', 'json'], {
    env: referenceEnvironment(c),
    ...(c.projectDirectory && { cwd: c.projectDirectory }),
  })
  const refused = theirs.code === 0 ? undefined : referenceError(theirs.stderr)
  let ours: unknown
  let ourError: string | undefined
  try {
    if (!interpolate) ours = harnessCompose(c).rawModel({ resolvePaths, normalize })
    else {
      const { project, written } = harnessCompose(c).load({ resolvePaths, normalizeName: normalize })
      const whole = toComposeDocument(project, { written })
      // As `config --format json` prints it: Go's JSON leaves out what compose-go's structs do not write.
      ours = JSON.parse(configJson(normalize ? whole : withoutNormalization(whole, written))) as unknown
    }
  } catch (error) {
    if (!(error instanceof HarnessError)) throw error
    ourError = error.message
  }
  if (refused !== undefined || ourError !== undefined) {
    return refused !== undefined && ourError !== undefined
      ? []
      : [{ kind: 'validity', harness: ourError, reference: refused }]
  }
  // The plain model is compared as it is, nulls and empty mappings too (JSON as both write it).
  const [oursCompared, theirsCompared] = interpolate
    ? [canonicalModel(ours), canonicalModel(JSON.parse(theirs.stdout))]
    : [JSON.parse(JSON.stringify(ours)) as unknown, JSON.parse(theirs.stdout) as unknown]
  return diffDocuments(oursCompared, theirsCompared).map((d) => ({
    kind: 'model',
    ...d,
  }))
}

/**
 * Each service's config hash by both tools (`config --hash '*'`): where they differ, the two would
 * recreate each other's containers. Files either tool refuses are `compareModels`' business.
 */
export async function compareHashes(c: ModelCase, reference: readonly string[]): Promise<Finding[]> {
  const theirs = await runReference(reference, [...referenceFlags(c), 'config', '--hash', '*'], {
    env: referenceEnvironment(c),
    ...(c.projectDirectory && { cwd: c.projectDirectory }),
  })
  if (theirs.code !== 0) return []
  let project
  try {
    project = harnessCompose(c).load().project
  } catch (error) {
    if (error instanceof HarnessError) return []
    throw error
  }
  const referenceHashes = new Map(
    theirs.stdout
      .trim()
      .split('\n')
      .map((line) => line.split(' ') as [string, string]),
  )
  const services = new Set([...referenceHashes.keys(), ...Object.keys(project.services)])
  return [...services].sort().flatMap((s): Finding[] => {
    const ours = project.services[s] && configHash(project.services[s], { environment: 'as-written' })
    return ours === referenceHashes.get(s)
      ? []
      : [{ kind: 'model', path: `config --hash ${s}`, harness: ours, reference: referenceHashes.get(s) }]
  })
}

/** Compose v2's error, without its warnings (`level=warning msg=…`). */
function referenceError(stderr: string): string {
  return stderr
    .split('\n')
    .filter((l) => l.trim() && !/level=warning/.test(l))
    .join('\n')
}
