import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import type { GlobalFlags } from './global-flags.js'
import { UsageError } from './usage-error.js'

/** The names Compose looks for when no -f is given, in its order. */
const DEFAULT_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml']

/** The first of Compose's default file names present in `directory`, if any. */
export function defaultFileIn(directory: string): string | undefined {
  return DEFAULT_FILES.map((f) => resolve(directory, f)).find((f) => existsSync(f))
}

/** The compose files the global flags name, else the default file of the project directory. */
export function projectFiles(globals: GlobalFlags): string[] {
  if (globals.files.length > 0) return globals.files
  const directory = globals.projectDirectory ?? '.'
  const found = defaultFileIn(directory)
  if (!found)
    throw new UsageError(`no compose file given (-f) and none of ${DEFAULT_FILES.join(', ')} in ${resolve(directory)}`)
  return [found]
}
