#!/usr/bin/env node
// Runs the CLI from its bundle, dist/cli.js. In a checkout of the project (harness/ beside bin/),
// the TypeScript sources run through tsx instead while one of them is newer than the bundle, or with
// COMPOSE_HARNESS_FROM_SOURCE=1 (see scripts/cli-bundle.mjs); an installed package has only the bundle.
import { existsSync } from 'node:fs'

const checkout = existsSync(new URL('../harness', import.meta.url))
const fromSource =
  checkout && (process.env.COMPOSE_HARNESS_FROM_SOURCE || !(await import('../scripts/cli-bundle.mjs')).isBundleFresh())
const cli = fromSource ? await sources() : await import('../dist/cli.js')
try {
  process.exitCode = await cli.main(process.argv.slice(2))
} catch (error) {
  process.stderr.write(`${cli.explain(error)}\n`)
  process.exitCode = 1
}

async function sources() {
  const { register } = await import('tsx/esm/api')
  register()
  return import('../harness/cli/main.ts')
}
