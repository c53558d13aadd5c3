import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { processAlive } from './process-alive.js'

/** Set while a run's scratch directory is in place: the run's second project finds it there. */
const MARK = 'COMPOSE_HARNESS_SPEC_SCRATCH'
const PREFIX = 'compose-harness-specs-'

/**
 * A vitest global setup: the run's temporary files (every spec's `mkdtemp`, the CLI's and the
 * tools' it starts) go in one directory of the run's own, `TMPDIR` for the workers and every
 * process they start, removed when the run ends; a killed run's is removed by the next run. A run
 * of several projects makes one.
 */
export default function setup(): () => void {
  if (process.env[MARK]) return () => {}
  const parent = tmpdir()
  removeStale(parent)
  const dir = mkdtempSync(join(parent, `${PREFIX}${process.pid}-`))
  const before = process.env.TMPDIR
  process.env[MARK] = dir
  process.env.TMPDIR = dir
  return () => {
    rmSync(dir, { recursive: true, force: true })
    delete process.env[MARK]
    if (before === undefined) delete process.env.TMPDIR
    else process.env.TMPDIR = before
  }
}

/** The scratch directories of earlier runs whose process is gone (killed before their teardown). */
function removeStale(parent: string): void {
  for (const name of readdirSync(parent)) {
    const pid = new RegExp(`^${PREFIX}(\\d+)-`).exec(name)?.[1]
    if (pid !== undefined && !processAlive(Number(pid))) rmSync(join(parent, name), { recursive: true, force: true })
  }
}
