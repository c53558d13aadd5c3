#!/usr/bin/env node
// Installs the project's npm dependencies when they are missing or older than package-lock.json,
// so that `npm start` and `npm test` work on a fresh clone. Plain Node: it runs before they exist.
import { spawnSync } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'

const root = new URL('..', import.meta.url).pathname
const installed = `${root}node_modules/.package-lock.json`
const wanted = `${root}package-lock.json`
if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(wanted).mtimeMs) {
  console.log('ensure-deps: installing the npm dependencies (npm ci)')
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' })
  if (result.status !== 0) process.exit(result.status ?? 1)
}

// The CLI's bundle, rebuilt when a source has changed since it was written (see cli-bundle.mjs).
const { buildBundle, isBundleFresh } = await import('./cli-bundle.mjs')
if (!isBundleFresh()) await buildBundle()
