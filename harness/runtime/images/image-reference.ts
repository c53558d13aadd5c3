/**
 * `registry:5000/team/app:1.2` → `{ repository: 'registry:5000/team/app', tag: '1.2' }`: the tag is
 * what follows the last `:` after the last `/` (a registry's port is not a tag); none without one.
 */
export function splitImageReference(reference: string): { readonly repository: string; readonly tag?: string } {
  const at = reference.lastIndexOf(':')
  return at > reference.lastIndexOf('/')
    ? { repository: reference.slice(0, at), tag: reference.slice(at + 1) }
    : { repository: reference }
}

/**
 * Whether `pull` skips `image` when it is present (pull policy `missing`), as Compose v2 decides:
 * yes for a digest or a tag, never for `latest`, written or implied (it may have moved).
 */
export function presentSkipsPull(image: string): boolean {
  if (image.includes('@')) return true
  return (splitImageReference(image).tag ?? 'latest') !== 'latest'
}

/**
 * Pure: `image` pinned to `digest`, as Compose v2's `config --resolve-image-digests` writes it: its
 * tag (`latest` when none is written), then the digest; an image already pinned keeps its digest
 * and loses its tag, as v2 prints it.
 */
export function pinnedReference(image: string, digest: string): string {
  const at = image.indexOf('@')
  if (at >= 0) return `${splitImageReference(image.slice(0, at)).repository}${image.slice(at)}`
  const { repository, tag = 'latest' } = splitImageReference(image)
  return `${repository}:${tag}@${digest}`
}

/**
 * Pure: the registry an image reference names, as the docker CLI reads it: its first part when
 * that has a `.` or a `:` or is `localhost` (and more follows), else Docker Hub (`docker.io`).
 */
export function registryOf(reference: string): string {
  const [first, ...rest] = reference.split('/')
  return rest.length > 0 && (/[.:]/.test(first!) || first === 'localhost') ? first! : 'docker.io'
}

/**
 * Pure: `reference` as the docker CLI shows it, with its tag: `latest` added to a bare name,
 * Docker Hub's domain (and its `library/`) left out: `docker.io/library/postgres` → `postgres:latest`.
 * Compose v2 names the images `down --rmi` removes so, each once.
 */
export function familiarTagged(reference: string): string {
  const [first, ...rest] = reference.split('/')
  const onHub = rest.length > 0 && (first === 'docker.io' || first === 'index.docker.io')
  let name = onHub ? rest.join('/') : reference
  if (onHub && name.startsWith('library/') && name.split('/').length === 2) name = name.slice('library/'.length)
  return name.includes('@') || splitImageReference(name).tag !== undefined ? name : `${name}:latest`
}
