// Debian packages, installed non-interactively; the package lists are refreshed only when an
// install fails on stale ones.
import { $ } from 'zx'
import { ProvisionError } from './provision-error.mjs'

export async function aptInstall(packages) {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  const install = () => $({ env, quiet: true, nothrow: true })`apt-get install -y --no-install-recommends ${packages}`
  let result = await install()
  if (result.exitCode !== 0) {
    await $({ env, quiet: true, nothrow: true })`apt-get update`
    result = await install()
  }
  if (result.exitCode !== 0) {
    throw new ProvisionError(
      `apt-get could not install ${packages.join(', ')} (exit ${result.exitCode}):\n${result.stderr.trim().split('\n').slice(-5).join('\n')}`,
    )
  }
}
