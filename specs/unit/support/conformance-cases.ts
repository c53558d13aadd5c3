import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { ModelCase } from '../../../harness/conformance/compare-model.js'

/** The environment every case starts from: no variable of the machine leaks into a comparison. */
const BASE_ENVIRONMENT = { PATH: process.env.PATH, HOME: '/home/tester' }

/** `compose.yml` (or `docker-compose.yml`) first, then its overrides in name order, as a case is written. */
export function composeFilesIn(dir: string): string[] {
  const names = readdirSync(dir).filter((f) => /^(docker-)?compose(\..+)?\.ya?ml$/.test(f))
  const main = (f: string) => /^(docker-)?compose\.ya?ml$/.test(f)
  return names.sort((a, b) => Number(main(b)) - Number(main(a)) || a.localeCompare(b)).map((f) => join(dir, f))
}

/** A case folder (see fixtures/conformance/README.md) as both tools take it. */
export function caseIn(dir: string, extraEnvironment: Record<string, string> = {}): ModelCase {
  const file = join(dir, 'case.json')
  const settings = (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {}) as {
    env?: Record<string, string>
    profiles?: string[]
  }
  const environment: Record<string, string | undefined> = { ...BASE_ENVIRONMENT, ...extraEnvironment, ...settings.env }
  const profiles = settings.profiles ?? (environment.COMPOSE_PROFILES ? undefined : ['*'])
  return { files: composeFilesIn(dir), environment, ...(profiles && { profiles }) }
}

/** `[name, dir]` of every case folder under `root`, sorted. */
export function caseFolders(root: string): [string, string][] {
  return readdirSync(resolve(root))
    .filter((n) => statSync(join(resolve(root), n)).isDirectory())
    .sort()
    .map((n) => [n, join(resolve(root), n)])
}
