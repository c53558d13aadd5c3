import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { HarnessError } from '../../errors.js'

/** The engine endpoint of a Docker context, as the docker CLI stores it. */
export interface ContextEndpoint {
  readonly context: string
  /** `tcp://…`, `unix://…`, `ssh://…`. */
  readonly host: string
  /** The context's TLS files (ca.pem, cert.pem, key.pem), when it has them. */
  readonly certPath?: string
  /** `skip-tls-verify=true`: TLS that does not check the engine's certificate. */
  readonly skipTlsVerify?: boolean
}

/** A Docker context is named (`--context`, DOCKER_CONTEXT, config.json) that the docker CLI does not have. */
export class ContextNotFoundError extends HarnessError {
  override readonly name = 'ContextNotFoundError'
  constructor(context: string, namedBy: string, contexts: string) {
    super(
      `Docker context "${context}" not found: ${namedBy} names it, and the docker CLI has no context of that name in ${contexts}; \`docker context ls\` lists those there are`,
    )
  }
}

/**
 * The endpoint of the Docker context in use (`DOCKER_CONTEXT`, else `currentContext` in the docker
 * CLI's config.json), which Testcontainers does not read; undefined for the `default` context or
 * none. `docker context use staging` then points the harness where it points the docker CLI. A
 * context named that the docker CLI does not have is refused, as Compose v2 refuses it: the
 * harness never falls back to another engine.
 */
export function currentContextEndpoint(env: NodeJS.ProcessEnv = process.env): ContextEndpoint | undefined {
  const config = dockerConfigDir(env)
  const named = env.DOCKER_CONTEXT
  const context = named ?? dockerCliConfig<{ currentContext?: string }>(env)?.currentContext
  if (!context || context === 'default') return undefined
  const digest = createHash('sha256').update(context).digest('hex')
  const meta = readJson<{ Endpoints?: { docker?: { Host?: string; SkipTLSVerify?: boolean } } }>(
    join(config, 'contexts', 'meta', digest, 'meta.json'),
  )
  if (!meta)
    throw new ContextNotFoundError(
      context,
      named ? 'DOCKER_CONTEXT (or --context)' : `currentContext in ${join(config, 'config.json')}`,
      join(config, 'contexts'),
    )
  const host = meta.Endpoints?.docker?.Host
  if (!host) return undefined
  const certPath = join(config, 'contexts', 'tls', digest, 'docker')
  return {
    context,
    host,
    ...(existsSync(join(certPath, 'ca.pem')) && { certPath }),
    ...(meta.Endpoints?.docker?.SkipTLSVerify === true && { skipTlsVerify: true }),
  }
}

/** The docker CLI's configuration directory: `DOCKER_CONFIG`, else `~/.docker`. */
export function dockerConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.DOCKER_CONFIG ?? join(homedir(), '.docker')
}

/** The docker CLI's `config.json`, parsed; undefined where there is none or it cannot be read. */
export function dockerCliConfig<T>(env: NodeJS.ProcessEnv = process.env): T | undefined {
  return readJson<T>(join(dockerConfigDir(env), 'config.json'))
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T
  } catch {
    return undefined
  }
}
