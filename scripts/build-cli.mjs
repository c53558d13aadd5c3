#!/usr/bin/env node
// `npm run build-cli` (and npm's `prepare`, so `npm ci` runs it): bundles the CLI into dist/cli.js
// when a source has changed since the last bundle. See scripts/cli-bundle.mjs.
import { buildBundle, isBundleFresh } from './cli-bundle.mjs'

if (!isBundleFresh()) await buildBundle()
