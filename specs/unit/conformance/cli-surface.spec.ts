import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { CLI_GAPS, type CliGap } from '../../../harness/cli/cli-gaps.js'
import { GLOBAL_OPTIONS } from '../../../harness/cli/global-flags.js'
import { COMMANDS } from '../../../harness/cli/registry.js'
import { cliSurface, helpCommands, helpFlags } from '../../../harness/conformance/cli-surface.js'
import { referenceCompose } from '../../../harness/conformance/reference-compose.js'

// Compose v2 prints its help without an engine, so this runs with the unit specs.
const reference = referenceCompose()
const helpOf = (command: readonly string[]): string =>
  execFileSync(reference[0]!, [...reference.slice(1), ...command, '--help'], { encoding: 'utf8' })

const gapKey = ({ command, flag }: CliGap): string => (command ? `${command}${flag ? ` --${flag}` : ''}` : `--${flag}`)

/** What Compose v2's CLI has that compose-harness's does not: global flags, commands, and commands' flags. */
async function missing(): Promise<string[]> {
  const surface = cliSurface(helpOf)
  const out = surface.globals.filter((flag) => !(flag in GLOBAL_OPTIONS)).map((flag) => `--${flag}`)
  for (const [command, flags] of Object.entries(surface.commands)) {
    const entry = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined
    if (!entry) {
      out.push(command)
      continue
    }
    const { options } = await entry.load()
    out.push(...flags.filter((flag) => !(flag in options)).map((flag) => `${command} --${flag}`))
  }
  return out
}

describe("the CLI's surface, against Compose v2's help", () => {
  it('has every command and flag of Compose v2, but those the table of gaps gives a reason for', async () => {
    const gaps = new Set(CLI_GAPS.map(gapKey))
    expect((await missing()).filter((m) => !gaps.has(m))).toEqual([])
  })

  it('has no row in the table of gaps that is not one: each names what Compose v2 has and the harness lacks', async () => {
    const lacking = new Set(await missing())
    expect(CLI_GAPS.map(gapKey).filter((key) => !lacking.has(key))).toEqual([])
  })

  it('is the table of docs/cli.md, row for row', () => {
    const page = readFileSync('docs/cli.md', 'utf8')
    const section = page.slice(page.indexOf('## What the CLI does not have yet'))
    const rows = [...section.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1])
    expect(rows).toEqual(CLI_GAPS.map(gapKey))
  })

  it('reads a help text as Compose prints it: options, not their wrapped descriptions', () => {
    const help = [
      'Options:',
      '  -d, --detach        Detached mode: Run containers in the background',
      '      --wait          Wait for services to be',
      '                      --healthy',
      '',
      'Commands:',
      '  ps          List containers',
      '',
    ].join('\n')
    expect(helpFlags(help)).toEqual(['detach', 'wait'])
    expect(helpCommands(help)).toEqual(['ps'])
  })
})
