#!/usr/bin/env node
// Runs the CLI from its bundle, dist/cli.js, while that is newer than every source; otherwise (or
// with COMPOSE_HARNESS_FROM_SOURCE=1) from the TypeScript sources through tsx. See scripts/cli-bundle.mjs.
import { isBundleFresh } from '../scripts/cli-bundle.mjs'

const cli =
  !process.env.COMPOSE_HARNESS_FROM_SOURCE && isBundleFresh() ? await import('../dist/cli.js') : await fromSource()
try {
  process.exitCode = await cli.main(process.argv.slice(2))
} catch (error) {
  process.stderr.write(`${cli.explain(error)}\n`)
  process.exitCode = 1
}

async function fromSource() {
  const { register } = await import('tsx/esm/api')
  register()
  return import('../harness/cli/main.ts')
}
