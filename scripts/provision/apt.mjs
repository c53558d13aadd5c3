// Debian packages, installed non-interactively; the package lists are refreshed only when an
// install fails on stale ones.
import { $, fs } from 'zx'
import { ProvisionError } from './provision-error.mjs'
import { withProgress } from './progress.mjs'

/**
 * @param {string[]} packages
 * @param {import('./progress.mjs').Say} say
 */
export async function aptInstall(packages, say) {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  const install = () =>
    withProgress(
      say,
      `installing ${packages.join(', ')} (apt-get)`,
      $({ env, quiet: true, nothrow: true })`apt-get install -y --no-install-recommends ${packages}`,
    )
  let result = await install()
  if (result.exitCode !== 0) {
    await withProgress(
      say,
      'refreshing the package lists (apt-get update)',
      $({ env, quiet: true, nothrow: true })`apt-get update`,
    )
    result = await install()
  }
  if (result.exitCode !== 0) {
    throw new ProvisionError(
      `apt-get could not install ${packages.join(', ')} (exit ${result.exitCode}):\n${result.stderr.trim().split('\n').slice(-5).join('\n')}`,
    )
  }
}

/** The machine's own Debian mirror, so that images and packages made here reach it too. */
export function aptMirror() {
  const sources = [
    '/etc/apt/sources.list',
    ...fs.readdirSync('/etc/apt/sources.list.d').map((/** @type {string} */ f) => `/etc/apt/sources.list.d/${f}`),
  ]
  for (const file of sources.filter((f) => /\.(list|sources)$/.test(f) && fs.existsSync(f))) {
    const text = fs.readFileSync(file, 'utf8')
    const uri = /^(?:URIs:|deb)\s+(?:\[[^\]]*\]\s+)?(\S+)/m.exec(text.replace(/^#.*$/gm, ''))?.[1]
    if (uri && !uri.includes('security')) return uri
  }
  throw new ProvisionError(
    'no Debian mirror found in /etc/apt/sources.list or /etc/apt/sources.list.d: add the one this machine uses',
  )
}
