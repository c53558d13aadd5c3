import { goBoolean, isSwitchedOn } from '../model/document/values.js'
import { UsageError } from './usage-error.js'

/** One option of a command: a flag (`boolean`) or an option with a value (`string`), maybe repeated. */
export interface OptionSpec {
  readonly type: 'boolean' | 'string'
  /** Its one-letter form (`a` for `-a`). */
  readonly short?: string
  /** Repeatable: every value given, in order (`-e A=1 -e B=2`). Otherwise the last one given wins. */
  readonly multiple?: boolean
}

/** A command's options, by their long name (`all` for `--all`). */
export type OptionTable = Readonly<Record<string, OptionSpec>>

type ValueOf<S extends OptionSpec> = S['type'] extends 'boolean'
  ? boolean
  : S extends { readonly multiple: true }
    ? string[]
    : string

/** What the command line gave each option; an option not given is absent. `help` is every command's. */
export type OptionValues<T extends OptionTable> = { -readonly [K in keyof T]?: ValueOf<T[K]> } & { help?: boolean }

export interface ParsedOptions<T extends OptionTable> {
  readonly values: OptionValues<T>
  /** The operands (service names…), in order. */
  readonly positionals: string[]
}

/** `-h`, `--help`: every command takes it. */
const HELP: OptionSpec = { type: 'boolean', short: 'h' }

/**
 * The one option parser of the CLI, reading options as Docker's CLI does: `--name value`,
 * `--name=value`, `-n value`, `-nvalue`, short flags grouped (`-dT`), `--flag=false`, `--` before operands that
 * start with a dash. Options and operands may mix (`logs web -f`), unless `operandsEndOptions`: then
 * everything from the first operand on is an operand, untouched, as `exec` and `run` need for the
 * command they run (`run web ls -l`), and as the global flags need before the command.
 * `command` prefixes every error (`ps: unknown flag --nope`).
 */
export function parseOptions<T extends OptionTable>(
  command: string | undefined,
  args: readonly string[],
  table: T,
  { operandsEndOptions = false }: { readonly operandsEndOptions?: boolean } = {},
): ParsedOptions<T> {
  const specs: OptionTable = { help: HELP, ...table }
  const byFlag = new Map<string, string>()
  for (const [name, spec] of Object.entries(specs)) {
    byFlag.set(`--${name}`, name)
    if (spec.short !== undefined) byFlag.set(`-${spec.short}`, name)
  }
  const fail = (message: string): never => {
    throw new UsageError(command === undefined ? message : `${command}: ${message}`)
  }
  const values: Record<string, boolean | string | string[]> = {}
  const set = (name: string, value: boolean | string): void => {
    values[name] = specs[name]!.multiple ? [...((values[name] as string[] | undefined) ?? []), String(value)] : value
  }
  const positionals: string[] = []
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (arg === '--') {
      positionals.push(...args.slice(i + 1))
      break
    }
    if (!arg.startsWith('-') || arg === '-') {
      if (operandsEndOptions) {
        positionals.push(...args.slice(i))
        break
      }
      positionals.push(arg)
      continue
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=')
      const flag = eq > 0 ? arg.slice(0, eq) : arg
      const name = byFlag.get(flag) ?? fail(`unknown flag ${flag}`)
      if (specs[name]!.type === 'boolean') {
        set(name, eq > 0 ? booleanOf(flag, arg.slice(eq + 1), fail) : true)
      } else {
        set(name, eq > 0 ? arg.slice(eq + 1) : (args[++i] ?? fail(`${flag} needs a value`)))
      }
      continue
    }
    for (let j = 1; j < arg.length; j++) {
      const flag = `-${arg[j]}`
      const name = byFlag.get(flag) ?? fail(`unknown flag ${flag}`)
      if (specs[name]!.type === 'boolean') {
        set(name, true)
        continue
      }
      set(name, j + 1 < arg.length ? arg.slice(j + 1) : (args[++i] ?? fail(`${flag} needs a value`)))
      break
    }
  }
  return { values: values as OptionValues<T>, positionals }
}

/** `--flag=false`: the values Go's ParseBool takes, as the Compose CLI's flags take them. */
function booleanOf(flag: string, value: string, fail: (message: string) => never): boolean {
  return goBoolean(value) ?? fail(`${flag} takes true or false, got ${value}`)
}

/** `KEY=VALUE` (`--filter`, `-l`) → `[KEY, VALUE]` (one without `=` has an empty value). */
export function keyValueOf(filter: string): [key: string, value: string] {
  const eq = filter.indexOf('=')
  return eq < 0 ? [filter, ''] : [filter.slice(0, eq), filter.slice(eq + 1)]
}

/** `--format F`: one of `allowed`, the first when not given. */
export function formatOf<F extends string>(
  command: string,
  value: string | undefined,
  allowed: readonly [F, F, ...F[]],
): F {
  if (value === undefined) return allowed[0]
  if ((allowed as readonly string[]).includes(value)) return value as F
  throw new UsageError(`${command}: --format is ${allowed.slice(0, -1).join(', ')} or ${allowed.at(-1)}, got ${value}`)
}

/** `-t N`: whole seconds, or undefined when not given. */
export function seconds(command: string, value: string | undefined, flag = '--timeout'): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${command}: ${flag} takes whole seconds, got ${value}`)
  return n
}

/** The options `exec` and `run` share: a variable, the user and the working directory of the command. */
export const COMMAND_SETTINGS = {
  env: { type: 'string', short: 'e', multiple: true },
  user: { type: 'string', short: 'u' },
  workdir: { type: 'string', short: 'w' },
} as const satisfies OptionTable

/** `-e KEY=VALUE`, and `-e KEY` for KEY's value here (left out when unset), as Docker reads them. */
export function readVariables(
  command: string,
  entries: readonly string[],
  lookup: (name: string) => string | undefined,
): Record<string, string> {
  const env: Record<string, string> = {}
  for (const entry of entries) {
    const eq = entry.indexOf('=')
    const [name, value] = eq < 0 ? [entry, lookup(entry)] : [entry.slice(0, eq), entry.slice(eq + 1)]
    if (!name) throw new UsageError(`${command}: -e takes KEY=VALUE or KEY, got ${entry}`)
    if (value !== undefined) env[name] = value
  }
  return env
}

/** A variable of the process's environment read as a switch, as Compose v2 reads `COMPOSE_REMOVE_ORPHANS`: `y`, `1`, `t` or `true` (any case). */
export function envFlag(name: string, env: NodeJS.ProcessEnv = process.env): boolean {
  return isSwitchedOn(env[name])
}
