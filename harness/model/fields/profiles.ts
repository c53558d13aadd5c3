import { readStrings, type FieldContext } from './readers.js'
import type { ServiceSpec } from '../project/types.js'
import type { YamlPath } from '../document/where.js'

/** Profile names are any strings: Compose v2 checks none (`--profile "debug tools"` selects one). */
export function readProfiles(value: unknown, path: YamlPath, ctx: FieldContext): string[] {
  return readStrings(value, path, ctx)
}

/** A service without profiles is always enabled; one with profiles only when one of them is active (`*`: all). */
export function selectProfiles(
  services: Readonly<Record<string, ServiceSpec>>,
  active: readonly string[],
): { enabled: Record<string, ServiceSpec>; disabled: string[] } {
  const enabled: Record<string, ServiceSpec> = {}
  const disabled: string[] = []
  for (const [name, service] of Object.entries(services)) {
    const on = service.profiles.length === 0 || active.includes('*') || service.profiles.some((p) => active.includes(p))
    if (on) enabled[name] = service
    else disabled.push(name)
  }
  return { enabled, disabled }
}

/**
 * The active profiles, and those of each service `named` (by a command: `up tool`, `run migrate`)
 * that none of them enables: Compose v2 turns a named service's profiles on (compose-go's
 * `WithServicesEnabled`), which enables the other services of those profiles too.
 */
export function withProfilesOf(
  named: readonly string[],
  services: Readonly<Record<string, ServiceSpec>>,
  active: readonly string[],
): string[] {
  const off = named.filter((name) => {
    const service = services[name]
    return service !== undefined && selectProfiles({ [name]: service }, active).disabled.length > 0
  })
  return [...new Set([...active, ...off.flatMap((name) => services[name]!.profiles)])]
}
