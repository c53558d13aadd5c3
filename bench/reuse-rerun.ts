// One rerun of a test process whose project is reused (bench/reuse.ts runs it): the libraries a
// Testcontainers test imports are loaded first, as its own imports load them; then the time of
// `up({ reuse: true })` until the project is ready, printed in milliseconds.
import { resolve } from 'node:path'
import { Compose } from '../harness/index.js'
import { connectEngine } from '../harness/runtime/engine/engine.js'

await connectEngine()
const start = performance.now()
await Compose.fromFiles(resolve(process.argv[2]!)).withProjectName(process.argv[3]!).up({ reuse: true })
console.log(performance.now() - start)
