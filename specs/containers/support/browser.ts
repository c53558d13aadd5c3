import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** The headless browser provisioning found (scripts/provision/browser.mjs): CHROMIUM, else one on PATH. */
export function browser(): string | undefined {
  if (process.env.CHROMIUM) return process.env.CHROMIUM
  for (const name of ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable']) {
    const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim()
    if (found) return found
  }
  return undefined
}

/**
 * The page's document once the browser has run its scripts, as HTML. The browser's profile, its
 * caches and its dconf database go in a home of its own, removed after: nothing of the run is left
 * in the user's `~/.config` or `~/.cache`.
 */
export function renderedDom(chromium: string, file: string): string {
  const home = mkdtempSync(join(tmpdir(), 'chromium-home-'))
  try {
    const run = spawnSync(
      chromium,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        `--user-data-dir=${join(home, 'profile')}`,
        '--dump-dom',
        `file://${file}`,
      ],
      {
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, 'config'), XDG_CACHE_HOME: join(home, 'cache') },
      },
    )
    if (run.status !== 0) throw new Error(`${chromium} exited with ${run.status}: ${run.stderr}`)
    return run.stdout
  } finally {
    rmSync(home, { recursive: true, force: true })
  }
}
