#!/usr/bin/env node
// Makes this machine able to run the harness: a reachable Docker engine and every base image
// that the project's Dockerfiles start FROM, and Compose v2, the reference the conformance specs
// compare with; with `--tests`, also the headless browser the report's spec opens pages in.
// Idempotent; on a machine that already has all of it, it changes nothing. Run by `npm start`,
// `npm test` (with `--tests`) and `.ci/run`.
import { ensureEngine } from './provision/engine.mjs'
import { ensureBaseImages } from './provision/base-images.mjs'
import { ensureComposeV2 } from './provision/compose-v2.mjs'
import { ensureBrowser } from './provision/browser.mjs'
import { ProvisionError } from './provision/provision-error.mjs'

const root = new URL('..', import.meta.url).pathname
const say = (/** @type {string} */ line) => console.log(`provision: ${line}`)

try {
  const started = Date.now()
  const docker = await ensureEngine(say)
  await ensureBaseImages(docker, root, say)
  await ensureComposeV2(say)
  if (process.argv.includes('--tests')) await ensureBrowser(say)
  say(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s`)
} catch (error) {
  if (!(error instanceof ProvisionError)) throw error
  console.error(`provision: ${error.message}`)
  process.exit(1)
}
