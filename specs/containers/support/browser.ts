import { spawnSync } from 'node:child_process'

/** The headless browser provisioning found (scripts/provision/browser.mjs): CHROMIUM, else one on PATH. */
export function browser(): string | undefined {
  if (process.env.CHROMIUM) return process.env.CHROMIUM
  for (const name of ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable']) {
    const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim()
    if (found) return found
  }
  return undefined
}

/** The page's document once the browser has run its scripts, as HTML. */
export function renderedDom(chromium: string, file: string): string {
  const run = spawnSync(
    chromium,
    ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--dump-dom', `file://${file}`],
    { encoding: 'utf8', timeout: 60_000 },
  )
  if (run.status !== 0) throw new Error(`${chromium} exited with ${run.status}: ${run.stderr}`)
  return run.stdout
}
