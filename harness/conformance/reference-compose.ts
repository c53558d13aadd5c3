import { execFile, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { HarnessError } from '../errors.js'

/** Where provisioning unpacks Compose v2 when the machine has none (scripts/provision/compose-v2.mjs). */
export const REFERENCE_CACHE = join(
  process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'),
  'compose-harness',
  'compose-v2',
  'docker-compose',
)

export type FoundReference =
  | { readonly command: readonly string[]; readonly version: string }
  | { readonly command?: undefined; readonly why: string }

/**
 * Compose v2, the reference the harness is compared with: `COMPOSE_HARNESS_REFERENCE` (a binary),
 * else `docker compose`, else `docker-compose`, else the copy provisioning unpacked. Compose v1
 * (`docker-compose` 1.x) does not count.
 */
export function findReferenceCompose(env: NodeJS.ProcessEnv = process.env): FoundReference {
  const candidates: string[][] = [
    ...(env.COMPOSE_HARNESS_REFERENCE ? [[env.COMPOSE_HARNESS_REFERENCE]] : []),
    ['docker', 'compose'],
    ['docker-compose'],
    ...(existsSync(REFERENCE_CACHE) ? [[REFERENCE_CACHE]] : []),
  ]
  const seen: string[] = []
  for (const command of candidates) {
    const run = spawnSync(command[0]!, [...command.slice(1), 'version', '--short'], {
      encoding: 'utf8',
      timeout: 10_000,
    })
    const version = run.status === 0 ? run.stdout.trim().replace(/^v/, '') : undefined
    if (version && Number(version.split('.')[0]) >= 2) return { command, version }
    seen.push(`${command.join(' ')}: ${version ? `version ${version}` : 'not found'}`)
  }
  return { why: seen.join('; ') }
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
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<ReferenceRun> {
  return new Promise((resolve, reject) => {
    execFile(
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
          reject(new Error(error.message, { cause: error }))
          return
        }
        resolve({ code: error ? (error.code as number) : 0, stdout, stderr })
      },
    )
  })
}
