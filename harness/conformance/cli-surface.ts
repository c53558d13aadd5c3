/**
 * The surface of a Compose CLI as its `--help` shows it: its global flags, and each command with its
 * own flags (long names, without `--`). Pure: the caller runs the CLI and hands the texts in.
 */
export interface CliSurface {
  readonly globals: readonly string[]
  readonly commands: Readonly<Record<string, readonly string[]>>
}

/** The lines of a help text's section (`Options:`, `Commands:`), up to the blank line that ends it. */
function section(help: string, title: string): string[] {
  const lines = help.split('\n')
  const start = lines.indexOf(title)
  if (start < 0) return []
  const end = lines.indexOf('', start)
  return lines.slice(start + 1, end < 0 ? undefined : end)
}

/** The flags an `Options:` section lists: `  -d, --detach …` or `      --build …` (wrapped descriptions are deeper). */
export function helpFlags(help: string): string[] {
  return section(help, 'Options:').flatMap((line) => {
    const m = /^ {2}(?:-\w, | {4})--([\w-]+)/.exec(line)
    return m ? [m[1]!] : []
  })
}

/** The commands a root help lists, management commands among them. */
export function helpCommands(help: string): string[] {
  return [...section(help, 'Commands:'), ...section(help, 'Management Commands:')].map(
    (line) => line.trim().split(/\s+/)[0]!,
  )
}

/**
 * The surface of the CLI whose help `helpOf` gives (`helpOf([])`: the root's; `helpOf(['ps'])`: a
 * command's). A global flag that every command also lists (`--dry-run`) counts as global only.
 */
export function cliSurface(helpOf: (command: readonly string[]) => string): CliSurface {
  const root = helpOf([])
  const globals = helpFlags(root)
  const commands = Object.fromEntries(
    helpCommands(root).map((command) => [command, helpFlags(helpOf([command])).filter((f) => !globals.includes(f))]),
  )
  return { globals, commands }
}
