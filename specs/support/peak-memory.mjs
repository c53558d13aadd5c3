// Preloaded into the CLI by specs/support/cli.ts: at exit, writes the process's peak resident
// memory (KiB) to file descriptor 3, which the spec opened as a pipe.
import { writeSync } from 'node:fs'

process.on('exit', () => {
  try {
    writeSync(3, String(process.resourceUsage().maxRSS))
  } catch {
    // Not started by the spec helper: nothing to report to.
  }
})
