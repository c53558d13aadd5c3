import { readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { HarnessError } from '../../errors.js'
import type { Blob } from './compose-artifact.js'
import { splitImageReference } from './image-reference.js'

/** Where an artifact goes: a registry's host, a repository in it and a tag. */
export interface ArtifactTarget {
  /** The host as the docker CLI's config names it (`docker.io` for Docker Hub). */
  readonly registry: string
  readonly repository: string
  readonly tag: string
}

/** A registry refused or failed a request: the status it answered, and what was asked. */
export class RegistryError extends HarnessError {
  constructor(
    readonly status: number,
    readonly request: string,
    detail: string,
  ) {
    super(`${request}: ${status === 0 ? '' : `${status} `}${detail}`.trim())
    this.name = 'RegistryError'
  }
}

/**
 * Pure: `REPOSITORY[:TAG]` as the docker CLI reads a reference: the registry is the first part
 * when it has a `.` or a `:` or is `localhost`, else Docker Hub (`library/` for a bare name); the
 * tag is `latest` when none is written.
 */
export function artifactTarget(reference: string): ArtifactTarget {
  const { repository, tag = 'latest' } = splitImageReference(reference)
  const [first, ...rest] = repository.split('/')
  const hosted = rest.length > 0 && (/[.:]/.test(first!) || first === 'localhost')
  if (hosted) return { registry: first!, repository: rest.join('/'), tag }
  return { registry: 'docker.io', repository: rest.length > 0 ? repository : `library/${repository}`, tag }
}

/** Credentials the docker CLI keeps for a registry in its config (`auths.<host>.auth`), as user and password. */
function credentialsFor(registry: string, env: NodeJS.ProcessEnv): { user: string; password: string } | undefined {
  try {
    const dir = env.DOCKER_CONFIG ?? join(homedir(), '.docker')
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as {
      auths?: Record<string, { auth?: string; identitytoken?: string }>
    }
    const keys = registry === 'docker.io' ? ['https://index.docker.io/v1/', 'docker.io'] : [registry]
    const entry = keys.map((k) => config.auths?.[k]).find((e) => e?.auth)
    if (!entry?.auth) return undefined
    const [user = '', ...password] = Buffer.from(entry.auth, 'base64').toString().split(':')
    return { user, password: password.join(':') }
  } catch {
    return undefined
  }
}

/**
 * A client of one repository of a registry, over HTTPS (plain HTTP where Compose v2's own test
 * switch, `__TEST__INSECURE__REGISTRY__`, is set, as v2 honours it): blobs and manifests pushed as
 * the distribution API takes them, with the credentials the docker CLI's config holds, answering
 * a Basic or a Bearer challenge.
 */
export class RepositoryClient {
  private authorization: string | undefined
  private readonly base: string

  constructor(
    private readonly target: ArtifactTarget,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    const host = target.registry === 'docker.io' ? 'registry-1.docker.io' : target.registry
    const scheme = '__TEST__INSECURE__REGISTRY__' in env ? 'http' : 'https'
    this.base = `${scheme}://${host}/v2/${target.repository}`
  }

  /** Pushes a blob unless the registry has it already. */
  async pushBlob(blob: Blob): Promise<void> {
    const head = await this.request('HEAD', `${this.base}/blobs/${blob.digest}`)
    if (head.ok) return
    const started = await this.request('POST', `${this.base}/blobs/uploads/`)
    await this.expect(started, 202, `starting the upload of ${blob.digest}`)
    const location = new URL(started.headers.get('location') ?? '', this.base)
    location.searchParams.set('digest', blob.digest)
    const put = await this.request('PUT', location.toString(), blob.data, 'application/octet-stream')
    await this.expect(put, 201, `uploading ${blob.digest}`)
  }

  /** Pushes a manifest under the target's tag; resolves with the registry's answer. */
  async pushManifest(manifest: Buffer, mediaType: string): Promise<Response> {
    return this.request('PUT', `${this.base}/manifests/${this.target.tag}`, manifest, mediaType)
  }

  /** Fails with the registry's own words unless the answer is `status`. */
  async expect(answer: Response, status: number, what: string): Promise<void> {
    if (answer.status === status) return
    const body = (await answer.text()).trim()
    throw new RegistryError(answer.status, what, body || answer.statusText)
  }

  private async request(method: string, url: string, body?: Buffer, type?: string): Promise<Response> {
    const send = () =>
      fetch(url, {
        method,
        headers: {
          ...(this.authorization && { authorization: this.authorization }),
          ...(type && { 'content-type': type }),
        },
        ...(body && { body }),
        redirect: 'follow',
      }).catch((error: unknown) => {
        const cause = (error as { cause?: { message?: string } }).cause?.message
        throw new RegistryError(0, `${method} ${url}`, cause ?? String(error))
      })
    const answer = await send()
    if (answer.status !== 401 || this.authorization !== undefined) return answer
    this.authorization = await this.authorize(answer.headers.get('www-authenticate') ?? '')
    return this.authorization === undefined ? answer : send()
  }

  /** The header that answers a registry's challenge: Basic with the credentials, or a Bearer token from its realm. */
  private async authorize(challenge: string): Promise<string | undefined> {
    const credentials = credentialsFor(this.target.registry, this.env)
    const basic =
      credentials && `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64')}`
    if (/^basic/i.test(challenge)) return basic
    if (!/^bearer/i.test(challenge)) return undefined
    const params = Object.fromEntries([...challenge.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]))
    if (!params.realm) return undefined
    const url = new URL(params.realm)
    if (params.service) url.searchParams.set('service', params.service)
    url.searchParams.set('scope', params.scope ?? `repository:${this.target.repository}:pull,push`)
    const answer = await fetch(url, { headers: basic ? { authorization: basic } : {} })
    if (!answer.ok) return undefined
    const { token, access_token } = (await answer.json()) as { token?: string; access_token?: string }
    const granted = token ?? access_token
    return granted ? `Bearer ${granted}` : undefined
  }
}
