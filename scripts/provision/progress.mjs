// Long provisioning steps (installing the engine, making a base image, loading it) say what they
// do when they start and, until they end, every few seconds how long they have run and the last
// line their tool wrote: never a minute of silence on a bare machine.
import { clearInterval, setInterval } from 'node:timers'

/** @typedef {(line: string) => void} Say How provisioning tells what it does: one line at a time. */

/**
 * Awaits `running` (a zx process, or any promise), telling `say` about it every `everyMs`: the
 * time so far and `detail()`, by default the last line that `output` (the process) wrote.
 *
 * @template T
 * @param {Say} say
 * @param {string} what
 * @param {PromiseLike<T>} running
 * @param {{ everyMs?: number, output?: any, detail?: () => string }} [options]
 * @returns {Promise<T>}
 */
export async function withProgress(say, what, running, { everyMs = 5000, output = running, detail } = {}) {
  const started = Date.now()
  let last = ''
  const remember = (/** @type {unknown} */ chunk) => {
    const lines = String(chunk)
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
    if (lines.length > 0) last = lines[lines.length - 1]
  }
  output?.stdout?.on?.('data', remember)
  output?.stderr?.on?.('data', remember)
  say(`${what}…`)
  const timer = setInterval(() => {
    const seconds = Math.round((Date.now() - started) / 1000)
    const now = detail ? detail() : last
    say(`${what}: ${seconds} s so far${now ? ` (${now.slice(0, 100)})` : ''}`)
  }, everyMs)
  try {
    return await running
  } finally {
    clearInterval(timer)
  }
}
