import { HarnessError } from '../../errors.js'
import { digestOf, type Blob } from './compose-artifact.js'
import { registryOf, splitImageReference } from './image-reference.js'
import { registryAuth } from './registry-auth.js'

/** What a manifest is, as an index or another manifest lists it. */
export interface Descriptor {
  readonly mediaType: string
  readonly digest: string
  readonly size: number
}

/** The manifests a registry may answer with, as a client asks for them all. */
const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ')

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
  // A digest (`app@sha256:…`) is where a tag would be.
  const at = reference.indexOf('@')
  const { repository, tag = 'latest' } =
    at >= 0
      ? { repository: splitImageReference(reference.slice(0, at)).repository, tag: reference.slice(at + 1) }
      : splitImageReference(reference)
  const registry = registryOf(repository)
  const path = repository.startsWith(`${registry}/`) ? repository.slice(registry.length + 1) : repository
  return { registry, repository: registry === 'docker.io' && !path.includes('/') ? `library/${path}` : path, tag }
}

/**
 * A client of one repository of a registry, over HTTPS (plain HTTP where Compose v2's own test
 * switch, `__TEST__INSECURE__REGISTRY__`, is set, as v2 honours it): blobs and manifests pushed as
 * the distribution API takes them, with the credentials the docker CLI's config holds, answering
 * a Basic or a Bearer challenge (registry-auth.ts: a credential helper's, or the config's own).
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

  /** Pushes a manifest under the target's tag (or `reference`, a digest); resolves with the registry's answer. */
  async pushManifest(manifest: Buffer, mediaType: string, reference = this.target.tag): Promise<Response> {
    return this.request('PUT', `${this.base}/manifests/${reference}`, manifest, mediaType)
  }

  /** The manifest (or index) under `reference`, a tag or a digest: its descriptor and its bytes. */
  async manifest(reference: string): Promise<{ descriptor: Descriptor; bytes: Buffer }> {
    const answer = await this.request(
      'GET',
      `${this.base}/manifests/${reference}`,
      undefined,
      undefined,
      MANIFEST_TYPES,
    )
    await this.expect(answer, 200, `reading the manifest of ${this.target.repository}:${reference}`)
    const bytes = Buffer.from(await answer.arrayBuffer())
    const mediaType = (answer.headers.get('content-type') ?? '').split(';')[0]!.trim()
    const digest = answer.headers.get('docker-content-digest') ?? digestOf(bytes)
    return { descriptor: { mediaType, digest, size: bytes.length }, bytes }
  }

  /**
   * Copies the blob `digest` of `from` (another repository) here unless it is here already:
   * mounted where both are in one registry, else read and uploaded.
   */
  async copyBlob(digest: string, from: RepositoryClient): Promise<void> {
    if ((await this.request('HEAD', `${this.base}/blobs/${digest}`)).ok) return
    if (from.target.registry === this.target.registry) {
      const mount = `${this.base}/blobs/uploads/?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(from.target.repository)}`
      if ((await this.request('POST', mount)).status === 201) return
    }
    const data = await from.blob(digest)
    await this.pushBlob({ mediaType: 'application/octet-stream', digest, size: data.length, data })
  }

  /** The blob `digest`'s bytes, checked against the digest. */
  async blob(digest: string): Promise<Buffer> {
    const answer = await this.request('GET', `${this.base}/blobs/${digest}`)
    await this.expect(answer, 200, `reading ${digest} of ${this.target.repository}`)
    const data = Buffer.from(await answer.arrayBuffer())
    if (digest.startsWith('sha256:') && digestOf(data) !== digest)
      throw new RegistryError(
        0,
        `reading ${digest} of ${this.target.repository}`,
        `its content has digest ${digestOf(data)}`,
      )
    return data
  }

  /** Fails with the registry's own words unless the answer is `status`. */
  async expect(answer: Response, status: number, what: string): Promise<void> {
    if (answer.status === status) return
    const body = (await answer.text()).trim()
    throw new RegistryError(answer.status, what, body || answer.statusText)
  }

  private async request(method: string, url: string, body?: Buffer, type?: string, accept?: string): Promise<Response> {
    const send = () =>
      fetch(url, {
        method,
        headers: {
          ...(this.authorization && { authorization: this.authorization }),
          ...(type && { 'content-type': type }),
          ...(accept && { accept }),
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
    const credentials = await registryAuth(this.target.registry, this.env)
    const basic =
      credentials?.username !== undefined
        ? `Basic ${Buffer.from(`${credentials.username}:${credentials.password ?? ''}`).toString('base64')}`
        : undefined
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
