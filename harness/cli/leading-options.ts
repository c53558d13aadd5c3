import { UsageError } from './args.js'

/** A command's options that come before its first operand, as `exec` and `run` take them. */
export interface LeadingOptionTable {
  /** Each option that takes a value (`-e`, `--env`), by the name its values are gathered under. */
  readonly values: Readonly<Record<string, string>>
  /** Each option that takes none (`-d`, `--rm`), by the name it sets. */
  readonly flags: Readonly<Record<string, string>>
}

/** The options `exec` and `run` share: a variable, the user and the working directory of the command. */
export const COMMAND_SETTINGS: Readonly<Record<string, string>> = {
  '-e': 'env',
  '--env': 'env',
  '-u': 'user',
  '--user': 'user',
  '-w': 'workdir',
  '--workdir': 'workdir',
}

export interface LeadingOptions {
  /** Every value given to each option, in order (an option given twice has two). */
  readonly values: Readonly<Record<string, readonly string[]>>
  readonly flags: ReadonlySet<string>
  /** From the first operand on (the service, then its command), untouched. */
  readonly rest: readonly string[]
}

/**
 * Reads the options before the first operand as Docker's CLI reads them: `-e A=1`, `-eA=1`,
 * `--env=A=1`, short flags grouped (`-dT`); everything from the first operand on is left as is,
 * so that a command's own flags (`run web ls -l`) are never taken for the harness's.
 */
export function parseLeadingOptions(
  command: string,
  args: readonly string[],
  table: LeadingOptionTable,
): LeadingOptions {
  const values: Record<string, string[]> = {}
  const flags = new Set<string>()
  let i = 0
  for (; i < args.length && args[i]!.startsWith('-') && args[i] !== '-'; i++) {
    const arg = args[i]!
    if (arg === '--') {
      i++
      break
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1
    const [flag, inline] = eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined]
    const grouped = flag.length > 2 && !flag.startsWith('--')
    const takes = table.values[flag] ?? (grouped ? table.values[flag.slice(0, 2)] : undefined)
    if (takes) {
      const value = inline ?? (grouped ? flag.slice(2) : args[++i])
      if (value === undefined) throw new UsageError(`${command}: ${flag} needs a value`)
      ;(values[takes] ??= []).push(value)
      continue
    }
    for (const short of grouped ? [...flag.slice(1)].map((c) => `-${c}`) : [flag]) {
      const meaning = table.flags[short]
      if (!meaning || inline !== undefined) throw new UsageError(`${command}: unknown flag ${short}`)
      flags.add(meaning)
    }
  }
  return { values, flags, rest: args.slice(i) }
}

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
