#!/usr/bin/env node
// `npm pack` and `npm publish` (prepack): what the package holds besides bin/ and the reaper. The
// library, compiled by tsc from harness/ into dist/lib (JavaScript and .d.ts, see
// tsconfig.build.json), and the CLI's bundle (dist/cli.js and dist/chunks), rebuilt only when a
// source is newer than it, so that a pack beside a running CLI never rewrites what that CLI reads.
import { spawnSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { buildBundle, isBundleFresh, ROOT } from './cli-bundle.mjs'

rmSync(join(ROOT, 'dist', 'lib'), { recursive: true, force: true })
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
const compiled = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' })
if (compiled.status !== 0) process.exit(compiled.status ?? 1)
if (!isBundleFresh()) await buildBundle()
