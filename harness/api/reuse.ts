import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'

/**
 * Reuse across runs, opt-in as Testcontainers has it: a reused project outlives the run, and the
 * next run's `up` converges it (kept when unchanged) instead of building it from nothing.
 */

/** The property Testcontainers' own reuse is switched on by, in `~/.testcontainers.properties`. */
export const REUSE_PROPERTY = 'testcontainers.reuse.enable'

/**
 * Whether a project is reused. `false` in code (`up({ reuse: false })`, as the CLI passes) is never
 * overridden; `COMPOSE_HARNESS_REUSE=false` or `TESTCONTAINERS_REUSE_ENABLE=false` (Testcontainers
 * for Node's switch) turns it off everywhere else; then `true` in code turns it on, and without a
 * word in code `COMPOSE_HARNESS_REUSE=true` or `testcontainers.reuse.enable=true` in the properties.
 */
export function reuseRequested(
  option: boolean | undefined,
  environment: Readonly<Record<string, string | undefined>>,
  properties: string | undefined,
): boolean {
  if (option === false) return false
  const said = (value: string | undefined) => value?.trim().toLowerCase()
  const own = said(environment.COMPOSE_HARNESS_REUSE)
  if (own === 'false' || said(environment.TESTCONTAINERS_REUSE_ENABLE) === 'false') return false
  if (option === true || own === 'true') return true
  return said(propertyValue(properties ?? '', REUSE_PROPERTY)) === 'true'
}

/** A key's value in a Java properties text (`key=value`, `key: value` or `key value`; `#` and `!` start comments). */
export function propertyValue(text: string, key: string): string | undefined {
  let value: string | undefined
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue
    const match = /^([^=:\s]+)\s*[=:\s]\s*(.*)$/.exec(line)
    if (match?.[1] === key) value = match[2]!.trim()
  }
  return value
}

/** `~/.testcontainers.properties`, or undefined when there is none. */
export function testcontainersProperties(home = homedir()): string | undefined {
  try {
    return readFileSync(join(home, '.testcontainers.properties'), 'utf8')
  } catch {
    return undefined
  }
}

/** Whether this process reuses projects asked for with `option` (reuseRequested, with its environment and properties). */
export function reuseOn(option: boolean | undefined): boolean {
  return reuseRequested(option, process.env, testcontainersProperties())
}

/**
 * A short, stable name part for what defines a reused project (its files, directory, overrides,
 * environment, profiles): two suites share a reused project only when they describe the same one.
 */
export function reuseKey(identity: unknown): string {
  return createHash('sha256').update(JSON.stringify(identity)).digest('hex').slice(0, 10)
}
