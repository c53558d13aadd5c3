import { execFile, spawnSync } from 'node:child_process'
import { accessSync, constants, existsSync, readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { delimiter, isAbsolute, join, resolve } from 'node:path'
import { HarnessError } from '../errors.js'
import { older } from '../runtime/create/engine-limits.js'

/** Where provisioning unpacks Compose v2 when the machine has none new enough (scripts/provision/compose-v2.mjs). */
export function referenceCache(env: NodeJS.ProcessEnv = process.env): string {
  return join(
    env.XDG_CACHE_HOME ?? join(env.HOME ?? homedir(), '.cache'),
    'compose-harness',
    'compose-v2',
    'docker-compose',
  )
}

export const REFERENCE_CACHE = referenceCache()

/**
 * The oldest Compose v2 the differential suites take as the reference: where 2.26 and 2.40 decide
 * differently, the harness does what 2.40 does. An older one that the machine has is passed over
 * (provisioning then fetches a current one); one named by COMPOSE_HARNESS_REFERENCE is the user's
 * choice and is taken whatever its version.
 */
export const REFERENCE_MINIMUM = '2.40.0'

export type FoundReference =
  | { readonly command: readonly string[]; readonly version: string }
  | { readonly command?: undefined; readonly why: string }

/** The places the Docker CLI looks for its plugins, in its order: the user's first, then the system's. */
export function cliPluginDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  const config = env.DOCKER_CONFIG ?? join(env.HOME ?? homedir(), '.docker')
  return [
    join(config, 'cli-plugins'),
    ...extraPluginDirs(join(config, 'config.json')),
    '/usr/local/lib/docker/cli-plugins',
    '/usr/local/libexec/docker/cli-plugins',
    '/usr/lib/docker/cli-plugins',
    '/usr/libexec/docker/cli-plugins',
  ]
}

/** `cliPluginsExtraDirs` of the Docker CLI's config.json. */
function extraPluginDirs(configFile: string): string[] {
  try {
    const dirs = (JSON.parse(readFileSync(configFile, 'utf8')) as { cliPluginsExtraDirs?: unknown }).cliPluginsExtraDirs
    return Array.isArray(dirs) ? dirs.filter((d): d is string => typeof d === 'string') : []
  } catch {
    return []
  }
}

/** The first executable `name` on PATH, as an absolute path. */
function onPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const file = resolve(dir, name)
    if (isExecutable(file)) return file
  }
  return undefined
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** The places Compose v2's binary may be, in the order they are tried. */
function candidates(env: NodeJS.ProcessEnv): { file: string; named: boolean }[] {
  const found: { file: string; named: boolean }[] = []
  if (env.COMPOSE_HARNESS_REFERENCE) {
    const named = env.COMPOSE_HARNESS_REFERENCE
    found.push({ file: isAbsolute(named) ? named : (onPath(named, env) ?? resolve(named)), named: true })
  }
  for (const dir of cliPluginDirs(env)) found.push({ file: join(dir, 'docker-compose'), named: false })
  const standalone = onPath('docker-compose', env)
  if (standalone) found.push({ file: standalone, named: false })
  found.push({ file: referenceCache(env), named: false })
  return found
}

/** The version a Compose binary says it is, or undefined when it does not run. */
function versionOf(file: string): string | undefined {
  const run = spawnSync(file, ['version', '--short'], { encoding: 'utf8', timeout: 10_000 })
  return run.status === 0 ? run.stdout.trim().replace(/^v/, '') : undefined
}

const resolved = new Map<string, FoundReference>()

/**
 * Compose v2, the reference the harness is compared with, resolved to its binary: the one
 * COMPOSE_HARNESS_REFERENCE names, else the Docker CLI's plugin (where `docker compose` finds it),
 * else `docker-compose` on PATH, else the copy provisioning unpacked. The binary is run directly,
 * never through `docker`, so it answers the same whatever HOME or environment a case gives it.
 * Compose v1 and a v2 older than REFERENCE_MINIMUM do not count, unless named. Looked up once a
 * process for the same variables.
 */
export function findReferenceCompose(env: NodeJS.ProcessEnv = process.env): FoundReference {
  const key = [env.COMPOSE_HARNESS_REFERENCE, env.DOCKER_CONFIG, env.HOME, env.PATH, env.XDG_CACHE_HOME].join('\0')
  const known = resolved.get(key)
  if (known) return known
  const found = lookUp(env)
  resolved.set(key, found)
  return found
}

function lookUp(env: NodeJS.ProcessEnv): FoundReference {
  const seen: string[] = []
  for (const { file, named } of candidates(env)) {
    if (!named && !existsSync(file)) continue
    const version = versionOf(file)
    if (version && Number(version.split('.')[0]) >= 2 && (named || !older(version, REFERENCE_MINIMUM)))
      return { command: [file], version }
    seen.push(`${file}: ${version ? `version ${version}` : 'does not run'}`)
  }
  return {
    why: `${seen.length > 0 ? seen.join('; ') : 'none installed'}; the reference is Compose ${REFERENCE_MINIMUM} or newer`,
  }
}

/** The reference's command, or a ReferenceMissingError saying what was looked for. */
export function referenceCompose(env: NodeJS.ProcessEnv = process.env): readonly string[] {
  const found = findReferenceCompose(env)
  if (found.command) return found.command
  throw new ReferenceMissingError(
    `no Compose v2 to compare with (${found.why}). \`npm run provision\` fetches one on Debian; elsewhere install Docker Compose v2 or set COMPOSE_HARNESS_REFERENCE to its binary.`,
  )
}

export class ReferenceMissingError extends HarnessError {}

export interface ReferenceRun {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** Runs the reference with `args`; never throws for a non-zero exit (the caller compares exits too). */
export function runReference(
  command: readonly string[],
  args: readonly string[],
  options: {
    cwd?: string
    env?: NodeJS.ProcessEnv
    timeoutMs?: number
    /** Written to its standard input, which is then closed (left open otherwise). */
    input?: string
  } = {},
): Promise<ReferenceRun> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      command[0]!,
      [...command.slice(1), ...args],
      {
        cwd: options.cwd,
        env: options.env ?? process.env,
        timeout: options.timeoutMs ?? 120_000,
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          reject(new ReferenceFailedToRun(`${command.join(' ')} could not be run: ${error.message}`, { cause: error }))
          return
        }
        resolve({ code: error ? (error.code as number) : 0, stdout, stderr })
      },
    )
    if (options.input !== undefined) child.stdin?.end(options.input)
  })
}

export class ReferenceFailedToRun extends HarnessError {}
