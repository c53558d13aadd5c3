import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { COMMANDS, USAGE } from '../../../harness/cli/registry.js'

/** The long flags a help text lists as options: each line that starts, after spaces, with `-x, --name` or `--name`. */
function helpFlags(help: string): string[] {
  return [...help.matchAll(/^ {2,}(?:-[a-zA-Z], )?(--[a-zA-Z-]+)/gm)].map((m) => m[1]!)
}

describe('the command registry', () => {
  it('gives every command a summary in the usage and a help of its own', () => {
    for (const [name, entry] of Object.entries(COMMANDS)) {
      expect(entry.help, name).toMatch(new RegExp(`^Usage: compose-harness ${name}\\b`))
      expect(USAGE, name).toMatch(new RegExp(`^ {2}${name} +${entry.summary.replace(/[()]/g, '\\$&')}$`, 'm'))
    }
  })

  it("names in each command's help every option it reads, and reads every option its help lists", async () => {
    const wrong: string[] = []
    for (const [name, entry] of Object.entries(COMMANDS)) {
      const { run, options } = await entry.load()
      expect(typeof run, name).toBe('function')
      for (const [option, spec] of Object.entries(options)) {
        if (!entry.help.includes(`--${option}`)) wrong.push(`${name}: --${option} is read but not in its help`)
        if (spec.short !== undefined && !new RegExp(`(^|[\\s,])-${spec.short}\\b`).test(entry.help))
          wrong.push(`${name}: -${spec.short} is read but not in its help`)
      }
      for (const flag of helpFlags(entry.help))
        if (!Object.hasOwn(options, flag.slice(2)))
          wrong.push(`${name}: its help lists ${flag}, which it does not read`)
    }
    expect(wrong).toEqual([])
  })

  it('is the command table of docs/cli.md: a row for every command, which names each of its options', async () => {
    const page = readFileSync('docs/cli.md', 'utf8')
    const rows = page
      .slice(0, page.indexOf('## What the CLI does not have yet'))
      .split('\n')
      .filter((l) => l.startsWith('| `'))
      .map((l) => {
        const [, first = '', rest = ''] = /^\| (.*?) \| (.*)$/.exec(l) ?? []
        return { commands: [...first.matchAll(/`([a-z]+)/g)].map((m) => m[1]!), text: rest }
      })
    const wrong: string[] = []
    for (const [name, entry] of Object.entries(COMMANDS)) {
      const row = rows.find((r) => r.commands.includes(name))
      if (!row) {
        wrong.push(`${name}: no row`)
        continue
      }
      const { options } = await entry.load()
      for (const [option, spec] of Object.entries(options))
        if (!row.text.includes(`--${option}`) && !(spec.short !== undefined && row.text.includes(`\`-${spec.short}`)))
          wrong.push(`${name}: --${option} is not in its row`)
    }
    expect(wrong).toEqual([])
  })

  it('knows a help that misses an option when it sees one', () => {
    expect(helpFlags('  -d, --detach   x\n      --build   y\n  not --this')).toEqual(['--detach', '--build'])
  })
})
