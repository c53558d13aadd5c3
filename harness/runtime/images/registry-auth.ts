import { execFile } from 'node:child_process'
import { HarnessError } from '../../errors.js'
import { dockerCliConfig } from '../engine/docker-context.js'
import { registryOf } from './image-reference.js'

/** The docker CLI's config (`$DOCKER_CONFIG/config.json`), as far as credentials go. */
export interface DockerAuthConfig {
  readonly auths?: Readonly<
    Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>
  >
  readonly credsStore?: string
  readonly credHelpers?: Readonly<Record<string, string>>
}

/** A registry's credentials, as the engine's `X-Registry-Auth` takes them (and Compose v2 sends them). */
export interface RegistryAuth {
  readonly serveraddress: string
  readonly username?: string
  readonly password?: string
  readonly identitytoken?: string
}

const DOCKER_HUB_KEY = 'https://index.docker.io/v1/'
/** Pure: the key the docker CLI keeps a registry's credentials under: Docker Hub's URL for Docker Hub, else HOST[:PORT]. */
export function authKey(registry: string): string {
  return ['docker.io', 'index.docker.io', 'registry-1.docker.io'].includes(registry) ? DOCKER_HUB_KEY : registry
}

/** Pure: a key written with a scheme or a path (`https://host:5000/v2/`) as the host it names, as the CLI reads old configs. */
export function hostOf(key: string): string {
  return key.replace(/^[a-z]+:\/\//i, '').split('/')[0]!
}

/** Pure: the helper that holds `key`'s credentials (`credHelpers`, then `credsStore`); undefined where the file holds them. */
export function helperFor(config: DockerAuthConfig, key: string): string | undefined {
  return config.credHelpers?.[key] || config.credsStore || undefined
}

/** Pure: the file's `auths` entry for `key` (its own, else one whose host is `key`: an older config's URL), as credentials. */
export function fromAuths(config: DockerAuthConfig, key: string): RegistryAuth | undefined {
  const auths = config.auths ?? {}
  const entry = auths[key] ?? Object.entries(auths).find(([k]) => hostOf(k) === key)?.[1]
  if (!entry) return undefined
  const decoded = entry.auth ? Buffer.from(entry.auth, 'base64').toString() : undefined
  const at = decoded?.indexOf(':') ?? -1
  const username = decoded && at >= 0 ? decoded.slice(0, at) : entry.username
  const password = decoded && at >= 0 ? decoded.slice(at + 1) : entry.password
  if (!username && !entry.identitytoken) return undefined
  return {
    serveraddress: key,
    ...(username && { username }),
    ...(password && { password }),
    ...(entry.identitytoken && { identitytoken: entry.identitytoken }),
  }
}

/** Pure: a helper's answer to `get` (`{"ServerURL","Username","Secret"}`); the user `<token>` means an identity token. */
export function fromHelperAnswer(key: string, answer: string): RegistryAuth | undefined {
  let parsed: { Username?: string; Secret?: string }
  try {
    parsed = JSON.parse(answer) as typeof parsed
  } catch {
    return undefined
  }
  const { Username, Secret } = parsed
  if (!Secret) return undefined
  if (Username === '<token>') return { serveraddress: key, identitytoken: Secret }
  return { serveraddress: key, ...(Username && { username: Username }), password: Secret }
}

/**
 * `registry`'s credentials as the docker CLI finds them, and Compose v2 with it: its credential
 * helper (`credHelpers`, else `credsStore`) asked with `docker-credential-NAME get`, else the
 * config's `auths`. None (an anonymous request) where nothing holds any, and, as the CLI has it,
 * where the config cannot be read or the helper fails: the registry's refusal then says why.
 */
export async function registryAuth(
  registry: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<RegistryAuth | undefined> {
  const config = dockerCliConfig<DockerAuthConfig>(env)
  return config ? credentialsFor(config, authKey(registry), env) : undefined
}

/** `key`'s credentials in `config`: its helper's answer where it has one, else the file's own. */
async function credentialsFor(
  config: DockerAuthConfig,
  key: string,
  env: NodeJS.ProcessEnv,
): Promise<RegistryAuth | undefined> {
  const helper = helperFor(config, key)
  if (!helper) return fromAuths(config, key)
  const answer = await askHelper(`docker-credential-${helper}`, 'get', key, env)
  return answer === undefined ? undefined : fromHelperAnswer(key, answer)
}

/**
 * Every registry's credentials the config holds, by the key it holds them under, as the docker CLI
 * gathers them for the classic builder (`X-Registry-Config`: it pulls base images itself): the
 * registries the `credsStore` helper lists (where there is one; else the file's `auths`), then each
 * `credHelpers` entry. A `credsStore` that cannot list fails, as it fails the CLI's build; a
 * `credHelpers` entry whose helper answers nothing is left out, as the CLI leaves it out (so is a
 * registry the store lists but will not give, where the CLI fails the build).
 */
export async function allRegistryAuths(env: NodeJS.ProcessEnv = process.env): Promise<Record<string, RegistryAuth>> {
  const config = dockerCliConfig<DockerAuthConfig>(env)
  if (!config) return {}
  let keys = Object.keys(config.auths ?? {})
  if (config.credsStore) {
    const program = `docker-credential-${config.credsStore}`
    const listed = listedKeys(await askHelper(program, 'list', '', env))
    if (!listed) throw new HarnessError(`the credential helper ${program} (credsStore) could not list its registries`)
    keys = listed
  }
  const all = new Set([...keys, ...Object.keys(config.credHelpers ?? {})])
  const found = await Promise.all([...all].map(async (key) => [key, await credentialsFor(config, key, env)] as const))
  return Object.fromEntries(found.flatMap(([key, auth]) => (auth ? [[key, auth] as const] : [])))
}

/** Pure: the registries a helper's answer to `list` names (`{"SERVER":"USER",…}`); undefined when it is not that. */
export function listedKeys(answer: string | undefined): string[] | undefined {
  try {
    const parsed: unknown = JSON.parse(answer ?? '')
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? Object.keys(parsed) : undefined
  } catch {
    return undefined
  }
}

/** Runs a credential helper's `command` (`get`, `list`) with `input` on its stdin: its answer, or undefined when it fails. */
function askHelper(
  program: string,
  command: 'get' | 'list',
  input: string,
  env: NodeJS.ProcessEnv,
): Promise<string | undefined> {
  return new Promise((resolve) => {
    const child = execFile(program, [command], { env, timeout: 60_000 }, (error, stdout) =>
      resolve(error ? undefined : stdout),
    )
    child.stdin?.on('error', () => {}).end(input)
  })
}

/** The credentials for the registry `image` names (registryAuth), as the engine's pulls and pushes take them. */
export function imageAuth(image: string, env: NodeJS.ProcessEnv = process.env): Promise<RegistryAuth | undefined> {
  return registryAuth(registryOf(image), env)
}
