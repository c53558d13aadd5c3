import { isAbsolute, join } from 'node:path'
import type { ComposeProject, ServiceSpec } from '../../model/project/types.js'
import { isMapping } from '../../model/document/values.js'
import { imageLabels } from '../engine/labels.js'
import { buildSshAgents } from './build-ssh.js'
import { referencedSource } from '../../model/fields/top-level.js'

/** What `build --print` is told beside the services: as `build`'s flags. */
export interface BakeOptions {
  readonly pull?: boolean
  readonly noCache?: boolean
  readonly push?: boolean
}

/**
 * Pure: the bake file Compose v2's `build --print` prints: a `default` group of the targets of
 * `services` that build (a service's name, `.` made `_`), and a target for each of `selected` that
 * builds (those services with what they depend on, as v2 selects them), as Compose 2.40 writes it
 * (bake's keys, Go's JSON: maps by key, empty fields left out).
 */
export function bakeDefinition(
  project: ComposeProject,
  services: readonly ServiceSpec[],
  selected: readonly ServiceSpec[],
  options: BakeOptions = {},
): Record<string, unknown> {
  const targets = new Map(Object.keys(project.services).map((s) => [s, s.replaceAll('.', '_')]))
  const built = services.filter((s) => s.build)
  const target = Object.fromEntries(
    selected
      .filter((s) => s.build)
      .map((s) => [targets.get(s.name)!, bakeTarget(project, s, targets, options)] as const)
      .sort(byKey),
  )
  // Compose v2 lists the group's targets in no particular order (a Go map's); by name here.
  return { group: { default: { targets: built.map((s) => targets.get(s.name)!).sort() } }, target }
}

const byKey = ([a]: readonly [string, unknown], [b]: readonly [string, unknown]): number => (a < b ? -1 : a > b ? 1 : 0)

/** A map in Go's JSON: by key, and left out when empty. */
function goMap(entries: readonly (readonly [string, string])[]): Record<string, string> | undefined {
  return entries.length > 0 ? Object.fromEntries([...entries].sort(byKey)) : undefined
}

function nonEmpty<T>(list: readonly T[]): readonly T[] | undefined {
  return list.length > 0 ? list : undefined
}

/** `${` written as `$${` in what bake would interpolate again. */
const unexpanded = (text: string): string => text.replaceAll('${', '$${')

function bakeTarget(
  project: ComposeProject,
  service: ServiceSpec,
  targets: ReadonlyMap<string, string>,
  options: BakeOptions,
): Record<string, unknown> {
  const build = service.build!
  const s = build.settings
  const o = build.options
  const strings = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : [])
  const contexts = isMapping(o.additional_contexts) ? Object.entries(o.additional_contexts) : []
  const entitlements = [
    ...strings(o.entitlements),
    ...(o.privileged === true && !strings(o.entitlements).includes('security.insecure') ? ['security.insecure'] : []),
  ]
  const push = options.push === true && service.declared.includes('image')
  const remote = /^[a-z]+:\/\/|^git@/.test(build.context)
  const target: Record<string, unknown> = {
    context: build.context,
    contexts: goMap(
      contexts.map(([name, value]) => {
        const text = String(value)
        return [name, text.startsWith('service:') ? `target:${targets.get(text.slice(8)) ?? ''}` : text] as const
      }),
    ),
    // An inline Dockerfile has no path (compose-go leaves `dockerfile` empty beside it).
    dockerfile:
      s.dockerfileInline !== undefined
        ? undefined
        : remote || isAbsolute(build.dockerfile)
          ? build.dockerfile
          : join(build.context, build.dockerfile),
    'dockerfile-inline': s.dockerfileInline === undefined ? undefined : unexpanded(s.dockerfileInline),
    args: goMap(Object.entries(build.args).map(([k, v]) => [k, unexpanded(v)] as const)),
    labels: goMap(Object.entries({ ...s.labels, ...imageLabels(project.name, service.name) })),
    tags: [...(s.tags ?? []), service.image],
    'cache-from': nonEmpty(s.cacheFrom ?? []),
    'cache-to': nonEmpty(strings(o.cache_to)),
    target: build.target,
    secret: nonEmpty(bakeSecrets(project, o.secrets)),
    ssh: nonEmpty(buildSshAgents(build).map((a) => `${a.id}=${a.paths.join(',')}`)),
    platforms: nonEmpty(s.platforms ?? []),
    pull: s.pull === true || options.pull === true || undefined,
    'no-cache': s.noCache === true || options.noCache === true || undefined,
    network: s.network,
    // compose-go's UnitBytes is written as a string of bytes.
    'shm-size': s.shmSizeBytes ? String(s.shmSizeBytes) : undefined,
    ulimits: nonEmpty(
      Object.entries(s.ulimits ?? {})
        .sort(byKey)
        .map(([name, { soft, hard }]) => (soft === hard ? `${name}=${soft}` : `${name}=${soft}:${hard}`)),
    ),
    entitlements: nonEmpty(entitlements),
    'extra-hosts': goMap(Object.entries(s.extraHosts ?? {}).map(([host, ips]) => [host, ips.join(',')] as const)),
    output: [(s.platforms?.length ?? 0) > 1 ? `type=image,push=${push}` : push ? 'type=registry' : 'type=docker'],
    attest: nonEmpty(attestations(o.provenance, o.sbom)),
  }
  return Object.fromEntries(Object.entries(target).filter(([, v]) => v !== undefined))
}

/** The build's secrets as bake takes them: `id=TARGET,type=file,src=PATH` or `id=TARGET,type=env,env=NAME`. */
function bakeSecrets(project: ComposeProject, written: unknown): string[] {
  if (!Array.isArray(written)) return []
  return written.flatMap((item: unknown) => {
    const source = referencedSource(item)
    const defined = source === undefined ? undefined : project.secrets[source]
    if (!defined) return []
    const id = isMapping(item) && typeof item.target === 'string' ? item.target : source!
    if (defined.environment) return [`id=${id},type=env,env=${defined.environment}`]
    return defined.file ? [`id=${id},type=file,src=${defined.file}`] : []
  })
}

/** `provenance` and `sbom` of the build, as bake's `attest` (true: the default attestation; false: none). */
function attestations(provenance: unknown, sbom: unknown): string[] {
  return (
    [
      ['provenance', provenance],
      ['sbom', sbom],
    ] as const
  ).flatMap(([type, value]) => {
    const text = typeof value === 'string' || typeof value === 'boolean' ? String(value) : ''
    if (text === '' || text === 'false') return []
    return [text === 'true' ? `type=${type}` : `type=${type},${text}`]
  })
}
