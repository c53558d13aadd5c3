/**
 * Prints, as JSON, the spec files each shard of `npm test -- --shard=I/N` runs: vitest's own
 * file discovery and sharding, without running anything (`vitest list` ignores --shard).
 * `tsx specs/support/shard-files.ts N` → `[[files of 1/N], [files of 2/N], …, [every file]]`.
 */
import { createVitest } from 'vitest/node'

const total = Number(process.argv[2])
const shards: string[][] = []
for (const shard of [...Array.from({ length: total }, (_, i) => `${i + 1}/${total}`), undefined]) {
  const vitest = await createVitest('test', { watch: false, ...(shard && { shard }) }, {}, {})
  const specs = await vitest.globTestSpecifications()
  const Sequencer = vitest.config.sequence.sequencer
  const chosen = shard ? await new Sequencer(vitest).shard(specs) : specs
  shards.push([...new Set(chosen.map((s) => s.moduleId))].sort())
  await vitest.close()
}
console.log(JSON.stringify(shards))
