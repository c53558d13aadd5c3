import { createHash } from 'node:crypto'
import { basename, isAbsolute, resolve } from 'node:path'
import type { Node } from 'yaml'
import { yamlLibrary } from '../../model/document/yaml-library.js'
import { goYaml } from '../../model/document/go-yaml.js'
import { parseComposeDocuments } from '../../model/document/parse.js'
import { HarnessError } from '../../errors.js'
import { PROPAGATIONS, SELINUX_LABELS } from '../../model/fields/mount-fields.js'
import type { ComposeProject, MountSpec } from '../../model/project/types.js'

/** The media types of a published project, as Compose v2 names them. */
export const ARTIFACT_TYPE = 'application/vnd.docker.compose.project'
export const COMPOSE_FILE_TYPE = 'application/vnd.docker.compose.file+yaml'
export const ENV_FILE_TYPE = 'application/vnd.docker.compose.envfile'
export const EMPTY_CONFIG_TYPE = 'application/vnd.docker.compose.config.empty.v1+json'
const OCI_EMPTY_TYPE = 'application/vnd.oci.empty.v1+json'
export const OCI_MANIFEST_TYPE = 'application/vnd.oci.image.manifest.v1+json'

/** One piece of content of the artifact, as the registry stores it and the manifest describes it. */
export interface Blob {
  readonly mediaType: string
  readonly digest: string
  readonly size: number
  readonly annotations?: Readonly<Record<string, string>>
  readonly data: Buffer
}

export type OciVersion = '1.0' | '1.1'

/** A blob's digest, as the registry names it: `sha256:` and the SHA-256 of its bytes. */
export const digestOf = (data: Buffer): string => `sha256:${createHash('sha256').update(data).digest('hex')}`
const hashOf = (text: string): string => createHash('sha256').update(text).digest('hex')

function blob(mediaType: string, data: Buffer, annotations?: Record<string, string>): Blob {
  return { mediaType, digest: digestOf(data), size: data.length, ...(annotations && { annotations }), data }
}

/** What the artifact is made of: the files as read, and where to find the files they name. */
export interface ArtifactSources {
  /** The project's compose files, absolute, with their text. */
  readonly files: readonly { readonly path: string; readonly text: string }[]
  readonly projectDirectory: string
  /** Reads a file a compose file names (`extends.file`, an env file); undefined when it cannot. */
  readonly readText: (path: string) => string | undefined
  /** `--with-env`: the env files go in too. */
  readonly withEnv: boolean
  /** `--resolve-image-digests`: an override file that pins each service's image. */
  readonly imageDigests?: string
  /** The version the layers are annotated with (`com.docker.compose.version`). */
  readonly version: string
}

/**
 * Pure: the layers of a published project, as Compose v2 makes them: each compose file, with each
 * `env_file` and `extends.file` it names replaced by the SHA-256 of that file's absolute path (so
 * that the artifact names no path of this machine); each file `extends` names, rewritten alike
 * and marked `com.docker.compose.extends`; the env files with `--with-env`; `image-digests.yaml`
 * with `--resolve-image-digests`.
 */
export function artifactLayers(sources: ArtifactSources): Blob[] {
  const annotated = (extra: Record<string, string>) => ({ 'com.docker.compose.version': sources.version, ...extra })
  const envFiles = new Map<string, string>()
  const extended = new Map<string, string>()
  const layers = sources.files.map(({ path, text }) =>
    blob(
      COMPOSE_FILE_TYPE,
      Buffer.from(rewritten(text, sources.projectDirectory, envFiles, extended)),
      annotated({ 'com.docker.compose.file': basename(path) }),
    ),
  )
  // Each file that `extends` names, then those they name in turn, each once.
  const done = new Set<string>()
  for (const [file, hash] of extended) {
    if (done.has(file)) continue
    done.add(file)
    const text = sources.readText(file)
    if (text === undefined) continue
    const data = Buffer.from(rewritten(text, sources.projectDirectory, new Map(), extended))
    layers.push(
      blob(
        COMPOSE_FILE_TYPE,
        data,
        annotated({ 'com.docker.compose.extends': 'true', 'com.docker.compose.file': hash }),
      ),
    )
  }
  if (sources.withEnv)
    for (const [file, hash] of envFiles) {
      const text = sources.readText(file)
      if (text !== undefined)
        layers.push(blob(ENV_FILE_TYPE, Buffer.from(text), annotated({ 'com.docker.compose.envfile': hash })))
    }
  if (sources.imageDigests !== undefined)
    layers.push(
      blob(
        COMPOSE_FILE_TYPE,
        Buffer.from(sources.imageDigests),
        annotated({ 'com.docker.compose.file': 'image-digests.yaml' }),
      ),
    )
  return layers
}

/**
 * A compose file's text with each service's env files and `extends.file` replaced by their hashes,
 * from where the value starts to the end of its line, as Compose v2 rewrites them (the rest of the
 * text as written). Records each file named, by its absolute path, with its hash.
 */
function rewritten(
  text: string,
  projectDirectory: string,
  envFiles: Map<string, string>,
  extended: Map<string, string>,
): string {
  const { parseDocument, isMap, isScalar, isSeq } = yamlLibrary()
  const doc = parseDocument(text)
  const services = doc.get('services', true)
  const edits: { at: number; value: string }[] = []
  const absolute = (path: string) => (isAbsolute(path) ? path : resolve(projectDirectory, path))
  const replace = (node: unknown, files: Map<string, string>, suffix: string) => {
    if (!isScalar(node) || typeof node.value !== 'string' || !node.range) return
    const path = absolute(node.value)
    const hash = `${hashOf(path)}${suffix}`
    files.set(path, hash)
    edits.push({ at: node.range[0], value: hash })
  }
  if (!isMap(services)) return text
  for (const item of services.items) {
    const service = item.value as Node | null
    if (!isMap(service)) continue
    const envFile = service.get('env_file', true)
    const entries = isSeq(envFile) ? envFile.items : [envFile]
    for (const entry of entries) replace(isMap(entry) ? entry.get('path', true) : entry, envFiles, '.env')
    const extend = service.get('extends', true)
    if (isMap(extend)) replace(extend.get('file', true), extended, '.yaml')
  }
  let out = text
  for (const { at, value } of edits.sort((a, b) => b.at - a.at)) {
    const end = out.indexOf('\n', at)
    out = `${out.slice(0, at)}${value}${end < 0 ? '' : out.slice(end)}`
  }
  return out
}

/**
 * Pure: the image manifest that makes the layers an artifact, as Compose v2 writes it (Go's JSON,
 * compact): OCI 1.1's artifact type over an empty config, or for OCI 1.0 a config of Compose's own
 * empty type; the blobs to push before it (the config) and its own bytes.
 */
export function artifactManifest(
  layers: readonly Blob[],
  version: OciVersion,
  created: Date,
): { readonly config: Blob; readonly manifest: Buffer } {
  const config = blob(version === '1.1' ? OCI_EMPTY_TYPE : EMPTY_CONFIG_TYPE, Buffer.from('{}'))
  const descriptor = (b: Blob) => ({
    mediaType: b.mediaType,
    digest: b.digest,
    size: b.size,
    ...(b.annotations && { annotations: sortedKeys(b.annotations) }),
    data: b.data.toString('base64'),
  })
  const manifest = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST_TYPE,
    ...(version === '1.1' && { artifactType: ARTIFACT_TYPE }),
    config: descriptor(config),
    layers: layers.map(descriptor),
    annotations: { 'org.opencontainers.image.created': created.toISOString().replace(/\.\d{3}Z$/, 'Z') },
  }
  return { config, manifest: Buffer.from(goJson(manifest)) }
}

/** JSON as Go's encoder writes it: `<`, `>` and `&` escaped. */
export function goJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`)
}

function sortedKeys(record: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.keys(record)
      .sort()
      .map((k) => [k, record[k]!]),
  )
}

/** A project that cannot be published, in Compose v2's words. */
export class PublishError extends HarnessError {}

/** Pure: the override `--resolve-image-digests` adds to the artifact: each service's pinned image, by name, as Compose v2 writes it. */
export function imageDigestsOverride(pinned: ReadonlyMap<string, string>): string {
  const names = [...pinned.keys()].sort()
  return goYaml({ services: Object.fromEntries(names.map((name) => [name, { image: pinned.get(name) }])) })
}

/**
 * Pure: whether a compose file includes files of this machine (an `include` entry not fetched from
 * a remote source), which Compose v2 refuses to publish.
 */
export function includesLocalFiles(file: string, text: string): boolean {
  const includes = parseComposeDocuments(file, text).flatMap(({ value }) =>
    Array.isArray(value.include) ? (value.include as unknown[]) : [],
  )
  const paths = includes.flatMap((entry): unknown[] => {
    if (typeof entry === 'string') return [entry]
    const path = (entry as { path?: unknown } | null)?.path
    return Array.isArray(path) ? (path as unknown[]) : [path]
  })
  return paths.some((p) => typeof p === 'string' && !/^(oci|git|https?):\/\//.test(p) && !p.startsWith('git@'))
}

/**
 * Pure: why a project cannot be published, in Compose v2's words: services that only build, with
 * no image to name.
 */
export function unpublishable(project: ComposeProject): string | undefined {
  const buildOnly = Object.values(project.services)
    .filter((s) => s.build !== undefined && !s.declared.includes('image'))
    .map((s) => s.name)
  if (buildOnly.length === 0) return undefined
  return `your Compose stack cannot be published as it only contains a build section for service(s):\n${buildOnly.map((s) => `- ${JSON.stringify(s)}\n`).join('')}`
}

/** Pure: the bind mounts a published project declares, as Compose v2 lists them before asking (`SERVICE` then `SOURCE:TARGET:rw`). */
export function bindMountsShown(project: ComposeProject): string {
  return Object.values(project.services)
    .filter((s) => s.volumes.some((m) => m.type === 'bind'))
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map(
      (s) =>
        `${s.name}${s.volumes
          .filter((m) => m.type === 'bind')
          .map((m) => `${mountText(m)}\n`)
          .join('')}`,
    )
    .join('')
}

function mountText(m: MountSpec): string {
  const options = [m.readOnly ? 'ro' : 'rw']
  const own = m.options ?? []
  options.push(...own.filter((o) => SELINUX_LABELS.includes(o)), ...own.filter((o) => PROPAGATIONS.includes(o)))
  if (own.includes('nocopy')) options.push('nocopy')
  return `${m.source ?? ''}:${m.target}:${options.join(',')}`
}

/** Pure: the services and configs whose variables would be published, each with its entries, by name. */
export function publishedVariables(
  project: ComposeProject,
): { readonly name: string; readonly entries: string[]; readonly why: string[] }[] {
  const services = Object.values(project.services).flatMap((s) => {
    const why = [
      ...(s.envFiles && s.envFiles.length > 0 ? [`service ${JSON.stringify(s.name)} has env_file declared.`] : []),
      ...(Object.keys(s.environment).length > 0
        ? [`service ${JSON.stringify(s.name)} has environment variable(s) declared.`]
        : []),
    ]
    const entries = Object.entries(s.environment).map(([k, v]) => `${k}=${v}`)
    return why.length > 0 ? [{ name: s.name, entries, why }] : []
  })
  const configs = Object.entries(project.configs).flatMap(([key, c]) =>
    c.environment
      ? [
          {
            name: c.name || key,
            entries: [`${c.name || key}=${c.environment}`],
            // Compose v2's words, its typo kept.
            why: [`config ${JSON.stringify(c.name || key)} is declare as an environment variable.`],
          },
        ]
      : [],
  )
  return [...services, ...configs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}
