import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readlinkSync, symlinkSync, unlinkSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { HarnessError } from '../../errors.js'
import { dockerConfigDir } from './docker-context.js'

/** What the docker CLI's TLS flags ask, which standalone Compose v2 takes before the command. */
export interface TlsFlags {
  /** `--tls`: TLS, implied by `--tlsverify`. */
  readonly tls?: boolean
  /** `--tlsverify[=BOOL]`, when given: TLS, checking the engine's certificate against the CA (unless false). */
  readonly verify?: boolean
  /** `--tlscacert`, `--tlscert`, `--tlskey`: over `ca.pem`, `cert.pem`, `key.pem` of DOCKER_CERT_PATH (else the config directory). */
  readonly caFile?: string
  readonly certFile?: string
  readonly keyFile?: string
}

/** The files of a TLS connection to the engine, as the docker CLI settles them. */
export interface TlsFiles {
  readonly ca: string
  readonly cert?: string
  readonly key?: string
  /** Whether the engine's certificate is checked against `ca`. */
  readonly verify: boolean
}

/** The engine's TLS cannot be set up as asked. */
export class EngineTlsError extends HarnessError {
  override readonly name = 'EngineTlsError'
}

/**
 * The TLS the flags and the variables ask for, as the docker CLI settles it (pure): on with `--tls`,
 * `--tlsverify` or a non-empty DOCKER_TLS_VERIFY (or DOCKER_TLS); each file from its flag, else
 * `ca.pem`, `cert.pem`, `key.pem` of DOCKER_CERT_PATH, else of the config directory (a default
 * certificate or key that is not there is left out). Undefined without TLS.
 */
export function tlsFiles(
  flags: TlsFlags,
  env: NodeJS.ProcessEnv,
  exists: (file: string) => boolean,
  configDir = dockerConfigDir(env),
): TlsFiles | undefined {
  const verify = flags.verify ?? Boolean(env.DOCKER_TLS_VERIFY)
  if (!flags.tls && flags.verify === undefined && !verify && !env.DOCKER_TLS) return undefined
  const dir = env.DOCKER_CERT_PATH || configDir
  const byDefault = (name: string) => (exists(join(dir, name)) ? join(dir, name) : undefined)
  const cert = flags.certFile ?? byDefault('cert.pem')
  const key = flags.keyFile ?? byDefault('key.pem')
  return { ca: flags.caFile ?? join(dir, 'ca.pem'), ...(cert && { cert }), ...(key && { key }), verify }
}

const NAMES = { ca: 'ca.pem', cert: 'cert.pem', key: 'key.pem' } as const

/**
 * The directory Testcontainers and dockerode are given (DOCKER_CERT_PATH: they read `ca.pem`,
 * `cert.pem` and `key.pem` there), or the links to make for it (pure): the files' own directory
 * when they are those three of one directory, else a directory of links under `linksRoot` named
 * after the files, the same for the same files every time.
 */
export function certDirectory(
  files: Required<Pick<TlsFiles, 'ca' | 'cert' | 'key'>>,
  linksRoot: string,
): { readonly dir: string; readonly links?: Readonly<Record<string, string>> } {
  const paths = { ca: resolve(files.ca), cert: resolve(files.cert), key: resolve(files.key) }
  const own = dirname(paths.ca)
  if ((Object.keys(NAMES) as (keyof typeof NAMES)[]).every((k) => paths[k] === join(own, NAMES[k]))) return { dir: own }
  const digest = createHash('sha256').update(JSON.stringify(paths)).digest('hex').slice(0, 16)
  const dir = join(linksRoot, digest)
  return { dir, links: Object.fromEntries(Object.entries(paths).map(([k, p]) => [NAMES[k as keyof typeof NAMES], p])) }
}

/**
 * The variables that give the engine's TLS to Testcontainers and dockerode (DOCKER_TLS_VERIFY=1 and
 * DOCKER_CERT_PATH), as the flags and the environment ask it; none without TLS. Refuses, naming the
 * file or the flag, what they cannot carry: a file that is not there (as Compose v2 refuses it), TLS
 * that does not check the engine's certificate, or one without a client certificate and key.
 */
export function engineTlsVariables(
  flags: TlsFlags,
  env: NodeJS.ProcessEnv = process.env,
): { DOCKER_TLS_VERIFY: string; DOCKER_CERT_PATH: string } | undefined {
  const files = tlsFiles(flags, env, existsSync)
  if (!files) return undefined
  for (const file of [files.ca, files.cert, files.key])
    if (file !== undefined && !existsSync(file))
      throw new EngineTlsError(`the engine's TLS file ${file} is not there (open ${file}: no such file or directory)`)
  if (!files.verify)
    throw new EngineTlsError(
      "TLS that does not check the engine's certificate (--tls without --tlsverify, or --tlsverify=false) is not supported: give the engine's CA with --tlsverify --tlscacert FILE",
    )
  if (!files.cert || !files.key)
    throw new EngineTlsError(
      `the engine's TLS needs a client certificate and key: --tlscert and --tlskey, or cert.pem and key.pem beside ${files.ca}`,
    )
  const cache = env.XDG_CACHE_HOME || join(homedir(), '.cache')
  const { dir, links } = certDirectory(
    { ca: files.ca, cert: files.cert, key: files.key },
    join(cache, 'compose-harness', 'tls'),
  )
  if (links) linkFiles(dir, links)
  return { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: dir }
}

/** Makes `dir` hold each link of `links` (name → target), replacing one that points elsewhere; another process making the same links meanwhile is no failure. */
function linkFiles(dir: string, links: Readonly<Record<string, string>>): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  const pointed = (link: string): string | undefined => {
    try {
      return readlinkSync(link)
    } catch {
      return undefined
    }
  }
  for (const [name, target] of Object.entries(links)) {
    const link = join(dir, name)
    const current = pointed(link)
    if (current === target) continue
    if (current !== undefined) unlinkSync(link)
    try {
      symlinkSync(target, link)
    } catch (error) {
      if (pointed(link) !== target) throw error
    }
  }
}
