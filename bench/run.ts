// `npm run bench`: every figure the project tracks, measured in one run on this machine, printed
// as a markdown table and written to bench/results.md.
import { writeFileSync } from 'node:fs'
import { benchConfigLoad } from './config-load.js'
import { formatMs, ratio, type Summary } from './stats.js'

const row = (what: string, ours: Summary, theirs: Summary | undefined, target: string): string =>
  `| ${what} | ${formatMs(ours.median)} (${formatMs(ours.min)}–${formatMs(ours.max)}, ${ours.runs} runs) | ${theirs ? `${formatMs(theirs.median)} (${formatMs(theirs.min)}–${formatMs(theirs.max)}, ${theirs.runs} runs)` : 'not installed'} | ${ratio(ours, theirs)} | ${target} |`

const config = benchConfigLoad()
const table = [
  '| measure | compose-harness median (min–max) | docker-compose median (min–max) | ratio | target |',
  '|---|---|---|---|---|',
  row('load and check a 500-service file (`config`)', config.harness, config.composeCli, '< 100 ms, < 1×'),
].join('\n')
const report = `# Benchmark results\n\nMeasured on ${new Date().toISOString().slice(0, 10)}, ${process.platform}/${process.arch}, Node ${process.version}.\n\n${table}\n`
console.log(report)
writeFileSync(new URL('results.md', import.meta.url), report)
