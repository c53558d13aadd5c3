// Compose v2, the reference that the conformance specs run beside the harness. An existing one of
// at least the reference's minimum version is used as it is (`COMPOSE_HARNESS_REFERENCE`, the
// Docker CLI's plugin, `docker-compose`); otherwise, on a Debian machine, the newest Compose v2
// that Debian has (its `sid` and `trixie` suites' `docker-compose` packages, whichever is newer) is
// fetched from the machine's own mirror into a private apt state folder (the machine's apt setup
// is untouched) and unpacked into the user's cache. Debian 12 itself ships only Compose v1.
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { $, fs, path, which } from 'zx'
import { ProvisionError } from './provision-error.mjs'
import { withProgress } from './progress.mjs'
import { aptMirror } from './apt.mjs'
import { register } from 'tsx/esm/api'

// One finder for provisioning, the specs and `compose-harness compare`: the harness's own, in TypeScript.
register()
const { REFERENCE_CACHE, REFERENCE_MINIMUM, findReferenceCompose } =
  await import('../../harness/conformance/reference-compose.ts')
const { older } = await import('../../harness/runtime/create/engine-limits.ts')

/** Debian's suites that have Compose v2, newest first; apt takes the highest version among them. */
const SUITES = ['sid', 'trixie']
const PLUGIN_PATH = 'usr/libexec/docker/cli-plugins/docker-compose'

/** @param {import('./progress.mjs').Say} say */
export async function ensureComposeV2(say) {
  const found = findReferenceCompose()
  if (found.command) {
    say(`Compose ${found.version} (the reference) is ${found.command.join(' ')}`)
    return
  }
  if (!(await which('apt-get', { nothrow: true })) || !(await which('dpkg-deb', { nothrow: true }))) {
    throw new ProvisionError(
      `no Compose v2 found (${found.why}), and this is not a Debian machine, so it cannot be fetched here. ` +
        'Install Docker Compose v2, or point COMPOSE_HARNESS_REFERENCE at its binary.',
    )
  }
  say(`no Compose v2 found (${found.why}): fetching the newest docker-compose package of Debian ${SUITES.join(', ')}`)
  await fetchFromDebian(say)
  const installed = findReferenceCompose({ ...process.env, COMPOSE_HARNESS_REFERENCE: REFERENCE_CACHE })
  if (installed.command && older(installed.version, REFERENCE_MINIMUM))
    throw new ProvisionError(
      `Debian's newest docker-compose is ${installed.version}, older than the reference's minimum ${REFERENCE_MINIMUM}: install Compose v2 ${REFERENCE_MINIMUM} or newer, or point COMPOSE_HARNESS_REFERENCE at one`,
    )
  if (!installed.command)
    throw new ProvisionError(`the Compose v2 unpacked into ${REFERENCE_CACHE} does not run: ${installed.why}`)
  say(`Compose ${installed.version} (the reference) is ${installed.command.join(' ')}`)
}

/** @param {import('./progress.mjs').Say} say */
async function fetchFromDebian(say) {
  const dir = await mkdtemp(path.join(tmpdir(), 'compose-v2-'))
  try {
    for (const sub of ['sources', 'lists/partial', 'cache/archives/partial']) await fs.mkdirp(path.join(dir, sub))
    await fs.writeFile(
      path.join(dir, 'sources', 'compose.sources'),
      `Types: deb\nURIs: ${aptMirror()}\nSuites: ${SUITES.join(' ')}\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n`,
    )
    const apt = [
      '-o',
      'Dir::Etc::SourceList=/dev/null',
      '-o',
      `Dir::Etc::SourceParts=${dir}/sources`,
      '-o',
      `Dir::State::Lists=${dir}/lists`,
      '-o',
      `Dir::Cache=${dir}/cache`,
      '-o',
      'APT::Sandbox::User=root',
      // Debian's mirror may be a snapshot, whose unstable suite's Release file is past its date.
      '-o',
      'Acquire::Check-Valid-Until=false',
    ]
    await step(say, 'apt-get update', $({ cwd: dir, quiet: true, nothrow: true })`apt-get ${apt} update`)
    await step(
      say,
      'apt-get download docker-compose',
      $({ cwd: dir, quiet: true, nothrow: true })`apt-get ${apt} download docker-compose`,
    )
    const deb = fs.readdirSync(dir).find((/** @type {string} */ f) => /^docker-compose_.*\.deb$/.test(f))
    if (!deb) throw new ProvisionError(`apt-get download docker-compose left no package in ${dir}`)
    await step(say, 'dpkg-deb -x', $({ cwd: dir, quiet: true, nothrow: true })`dpkg-deb -x ${deb} unpacked`)
    await fs.mkdirp(path.dirname(REFERENCE_CACHE))
    await fs.copy(path.join(dir, 'unpacked', PLUGIN_PATH), REFERENCE_CACHE)
    await fs.chmod(REFERENCE_CACHE, 0o755)
  } finally {
    await fs.remove(dir)
  }
}

/**
 * @param {import('./progress.mjs').Say} say
 * @param {string} what
 * @param {PromiseLike<{ exitCode: number | null, stderr: string }>} running
 */
async function step(say, what, running) {
  const result = await withProgress(say, what, running)
  if (result.exitCode !== 0) {
    throw new ProvisionError(
      `${what} failed (exit ${result.exitCode}):\n${result.stderr.trim().split('\n').slice(-5).join('\n')}`,
    )
  }
}
