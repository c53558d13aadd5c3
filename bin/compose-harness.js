#!/usr/bin/env node
// The CLI runs the TypeScript sources directly through tsx: nothing to compile first.
import { register } from 'tsx/esm/api'

register()
const { main, explain } = await import('../harness/cli/main.ts')
try {
  process.exitCode = await main(process.argv.slice(2))
} catch (error) {
  process.stderr.write(`${explain(error)}\n`)
  process.exitCode = 1
}
