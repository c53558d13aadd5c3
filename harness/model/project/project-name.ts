import { basename } from 'node:path'

/** Compose's rule: lower case letters, digits, dashes and underscores, starting with a letter or digit. */
const VALID = /^[a-z0-9][a-z0-9_-]*$/

export function isValidProjectName(name: string): boolean {
  return VALID.test(name)
}

/** Makes a directory name or `name:` into a project name as Compose does: lower case, other characters dropped. */
export function normalizeProjectName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '')
    .replace(/^[_-]+/, '')
}

export interface ProjectNameSources {
  /** `-p` on the command line, or the API's project name. */
  readonly explicit?: string | undefined
  /** COMPOSE_PROJECT_NAME from the environment. */
  readonly environment?: string | undefined
  /** `name:` at the top of the compose files. */
  readonly topLevel?: string | undefined
  readonly directory: string
  /** `name:` as written, not made valid (`config --no-normalize`, as compose-go leaves it; the directory's name is made valid all the same). */
  readonly asWritten?: boolean
}

/** Compose's precedence: `-p`, then COMPOSE_PROJECT_NAME, then `name:`, then the directory's name. */
export function chooseProjectName(sources: ProjectNameSources): { name: string; from: string } {
  if (sources.explicit) return { name: sources.explicit, from: 'the project name given' }
  if (sources.environment) return { name: sources.environment, from: 'COMPOSE_PROJECT_NAME' }
  // Compose v2 takes `name:` as the directory's name is taken, made valid; `-p` and the variable must be valid as given.
  if (sources.topLevel)
    return { name: sources.asWritten ? sources.topLevel : normalizeProjectName(sources.topLevel), from: 'name:' }
  return { name: normalizeProjectName(basename(sources.directory)), from: `the directory name of ${sources.directory}` }
}
