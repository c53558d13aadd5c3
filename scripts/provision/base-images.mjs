// Every image that a project Dockerfile starts FROM must be present. One that is missing is
// pulled; where no registry answers (air-gapped runners, this machine) a Debian suite is built
// with debootstrap from the machine's own apt mirror and imported under the same name.
import { spawn } from 'node:child_process'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { $, fs, path, which } from 'zx'
import { ProvisionError } from './provision-error.mjs'
import { aptInstall, aptMirror } from './apt.mjs'
import { withProgress } from './progress.mjs'

const PULL_TIMEOUT_MS = 60_000
const SKIPPED_DIRS = new Set(['node_modules', '.git'])

/**
 * @param {import('dockerode')} docker
 * @param {string} root
 * @param {import('./progress.mjs').Say} say
 */
export async function ensureBaseImages(docker, root, say) {
  const wanted = baseImages(dockerfilesUnder(root))
  for (const [image, dockerfiles] of wanted) {
    if (await isPresent(docker, image)) continue
    const pullError = await pull(docker, image)
    if (!pullError) {
      say(`pulled ${image}`)
      continue
    }
    const suite = debianSuite(image)
    if (!suite) {
      throw new ProvisionError(
        `base image ${image} (FROM in ${dockerfiles.join(', ')}) is missing and could not be pulled: ${pullError}. ` +
          `Load it with \`docker load\` or make a registry reachable.`,
      )
    }
    say(`${image} is missing and could not be pulled (${pullError}): building it with debootstrap`)
    await importDebian(docker, image, suite, say)
    say(`imported ${image}`)
  }
}

/** @param {string} root */
export function dockerfilesUnder(root) {
  return fs
    .readdirSync(root, { recursive: true, withFileTypes: true })
    .filter(
      (/** @type {import('node:fs').Dirent} */ e) => e.isFile() && /^(Dockerfile(\..+)?|.+\.Dockerfile)$/.test(e.name),
    )
    .map((/** @type {import('node:fs').Dirent} */ e) => path.join(e.parentPath ?? e.path, e.name))
    .filter(
      (/** @type {string} */ file) =>
        !path
          .relative(root, file)
          .split(path.sep)
          .some((part) => SKIPPED_DIRS.has(part)),
    )
}

/** image → the Dockerfiles that use it; stage names, `scratch` and ARG-made names are skipped. */
/** @param {string[]} dockerfiles */
export function baseImages(dockerfiles) {
  const images = new Map()
  for (const file of dockerfiles) {
    const stages = new Set()
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      const from = /^\s*FROM\s+(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?/i.exec(line)
      if (!from) continue
      const [, image, stage] = from
      if (stage) stages.add(stage.toLowerCase())
      if (image === 'scratch' || image.includes('$') || stages.has(image.toLowerCase())) continue
      const name = image.includes(':') || image.includes('@') ? image : `${image}:latest`
      images.set(name, [...(images.get(name) ?? []), path.basename(file)])
    }
  }
  return images
}

/**
 * @param {import('dockerode')} docker
 * @param {string} image
 */
async function isPresent(docker, image) {
  return docker
    .getImage(image)
    .inspect()
    .then(
      () => true,
      () => false,
    )
}

/** undefined when pulled, else why not. */
/**
 * @param {import('dockerode')} docker
 * @param {string} image
 * @returns {Promise<string | undefined>} why the pull failed, or undefined
 */
async function pull(docker, image) {
  const attempt = new Promise((resolve) => {
    docker.pull(image, (/** @type {Error | null} */ error, /** @type {NodeJS.ReadableStream} */ stream) => {
      if (error) return resolve(error.message)
      docker.modem.followProgress(stream, (err) => resolve(err?.message))
    })
  })
  const timeout = new Promise((resolve) => setTimeout(resolve, PULL_TIMEOUT_MS, 'no registry answered in time').unref())
  return (await Promise.race([attempt, timeout]))?.split('\n')[0]
}

/** @param {string} image */
export function debianSuite(image) {
  return /^(?:docker\.io\/)?(?:library\/)?debian:([a-z]+)$/.exec(image)?.[1]
}

/**
 * @param {import('dockerode')} docker
 * @param {string} image
 * @param {string} suite
 * @param {import('./progress.mjs').Say} say
 */
async function importDebian(docker, image, suite, say) {
  if (!(await which('debootstrap', { nothrow: true }))) await aptInstall(['debootstrap'], say)
  const dir = await mkdtemp(path.join(tmpdir(), `rootfs-${suite}-`))
  try {
    const mirror = aptMirror()
    const made = await withProgress(
      say,
      `making the ${suite} root file system (debootstrap from ${mirror}, about half a minute)`,
      $({ quiet: true, nothrow: true })`debootstrap --variant=minbase ${suite} ${dir} ${mirror}`,
    )
    if (made.exitCode !== 0) {
      throw new ProvisionError(
        `debootstrap of ${suite} from ${mirror} failed (exit ${made.exitCode}):\n${made.stderr.trim().split('\n').slice(-5).join('\n')}`,
      )
    }
    await dockerImport(docker, dir, image, say)
  } finally {
    await fs.remove(dir)
  }
}

/**
 * @param {import('dockerode')} docker
 * @param {string} dir
 * @param {string} image
 * @param {import('./progress.mjs').Say} say
 */
async function dockerImport(docker, dir, image, say) {
  const [repo, tag] = image.split(':')
  const tar = spawn('tar', ['-C', dir, '-c', '.'], { stdio: ['ignore', 'pipe', 'inherit'] })
  let sent = 0
  tar.stdout.on('data', (chunk) => (sent += chunk.length))
  const imported = (async () => {
    const stream = await docker.importImage(tar.stdout, { repo, tag, changes: ['CMD ["bash"]'] })
    await new Promise((/** @type {(value?: unknown) => void} */ resolve, reject) =>
      docker.modem.followProgress(stream, (err) =>
        err ? reject(new ProvisionError(`docker import of ${image} failed: ${err.message}`)) : resolve(),
      ),
    )
  })()
  await withProgress(say, `loading it into the engine as ${image}`, imported, {
    detail: () => `${(sent / 1e6).toFixed(0)} MB sent`,
  })
}
