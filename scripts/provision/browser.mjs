// A headless browser for the report's spec, which opens the pages the harness writes as a user
// would: Chromium or Chrome where the machine has one (CHROMIUM names it, else `chromium`,
// `chromium-browser` or `google-chrome` on PATH, as GitHub's runners have it), else, on a root
// Debian machine (GitLab's node:20-bookworm jobs), Debian's `chromium` package.
import { which } from 'zx'
import { aptInstall } from './apt.mjs'
import { ProvisionError } from './provision-error.mjs'

/** @param {import('./progress.mjs').Say} say */
export async function ensureBrowser(say) {
  const found = await findBrowser()
  if (found) {
    say(`Chromium (for the report's spec) is ${found}`)
    return
  }
  if (process.getuid?.() !== 0 || !(await which('apt-get', { nothrow: true })))
    throw new ProvisionError(
      'no Chromium found for the report spec: install chromium (Debian: apt-get install chromium), or name it in CHROMIUM',
    )
  say("no Chromium found: installing Debian's chromium (for the report spec)")
  await aptInstall(['chromium'], say)
}

async function findBrowser() {
  if (process.env.CHROMIUM) return process.env.CHROMIUM
  for (const name of ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable']) {
    const path = await which(name, { nothrow: true })
    if (path) return path
  }
  return undefined
}
