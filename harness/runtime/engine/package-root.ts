import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { InstallationError } from './runtime-errors.js'

/** The directory of compose-harness's package.json: the sources and the CLI's bundle sit at different depths under it. */
export const PACKAGE_ROOT = packageRoot(dirname(fileURLToPath(import.meta.url)))

function packageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'Dockerfile.reaper'))) return dir
    if (dirname(dir) === dir)
      throw new InstallationError(
        `no Dockerfile.reaper in ${from} or above it: is the compose-harness package complete?`,
      )
  }
}

/** compose-harness's version, as its package.json gives it. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version
}
