import { UNKNOWN_TOP_LEVEL_KEY, unknownKey, type Problems } from '../document/compose-error.js'
import { describe } from '../document/describe.js'
import { readDevelop } from '../fields/develop-fields.js'
import { PRINTED_AT_LOAD } from '../fields/extras-long-form.js'
import {
  readBoolean,
  readDurationMs,
  readKeyValues,
  readUnsetNames,
  readString,
  readStrings,
  type FieldContext,
} from '../fields/readers.js'
import { readHealthcheck, readReplicas, readRestart } from '../fields/lifecycle-fields.js'
import { readFileMounts } from '../fields/file-mount-fields.js'
import { readProvider, readRunSettings } from '../fields/run-fields.js'
import { checkPassedKeys } from '../fields/passed-through-keys.js'
import { readHostSettings } from '../fields/host-fields.js'
import { readResources } from '../fields/resource-fields.js'
import { impliedDependencies } from '../project/graph.js'
import type { MergedCompose } from '../merge/merge.js'
import { isMapping } from '../document/values.js'
import { readVolumes as readMounts } from '../fields/mount-fields.js'
import { readExtraHosts, readNetworkMode, readServiceNetworks } from '../fields/network-fields.js'
import { readPorts } from '../fields/port-fields.js'
import { readProfiles, selectProfiles, withProfilesOf } from '../fields/profiles.js'
import { chooseProjectName, isValidProjectName } from '../project/project-name.js'
import {
  readBuild,
  readCommand,
  readDependsOn,
  readServiceEnvFiles,
  readEnvFileEntries,
  readExpose,
  readLabelFiles,
  readLinks,
} from '../fields/service-fields.js'
import { MODELLED_SERVICE_KEYS, SERVICE_KEYS, TOP_LEVEL_KEYS } from '../project/service-keys.js'
import { readFileObjects, readModels, readNetworks, readTopLevelVolumes } from '../fields/top-level.js'
import type { ComposeProject, ServiceSpec } from '../project/types.js'
import type { YamlPath } from '../document/where.js'

/** How much `validate` checks across services: everything (true), nothing (false), or only what they refer to. */
export type Consistency = boolean | 'references'

export interface NormalizeOptions {
  /** Absolute directory against which relative paths resolve. */
  readonly projectDirectory: string
  /** The directory whose name is the project's when nothing names it, where it is not `projectDirectory` (files fetched from a registry). */
  readonly nameDirectory?: string
  /** The local copies of the projects in registries (`oci://…`) the files include or extend, by reference. */
  readonly fetched?: Readonly<Record<string, string>>
  /** `-p` or the API's project name; wins over every other source. */
  readonly projectName?: string
  /** `--profile` values; COMPOSE_PROFILES from `lookup` when none are given. */
  readonly profiles?: readonly string[]
  /** Services a command names: their profiles are activated too, as Compose v2 enables the services named. */
  readonly enable?: readonly string[]
  /** The variables of the environment the project runs in, as the caller chooses to give them. */
  readonly lookup: (name: string) => string | undefined
  /** Reads a file that the compose files refer to (`env_file`); undefined when there is none. */
  readonly readText?: (absolutePath: string) => string | undefined
  /**
   * False: what services refer to, and container names, go unchecked (`config --no-consistency`);
   * `references`: only what they refer to (`config --environment`, as Compose v2 checks it).
   */
  readonly consistency?: Consistency
  /** False: the paths the model keeps stay as written (`config --no-path-resolution`). */
  readonly resolvePaths?: boolean
  /**
   * False: a service's `env_file`s are not read (a missing one is no problem), as Compose v2's
   * `config --services`, `--images`, `--hash` and the other lists leave them.
   */
  readonly readEnvFiles?: boolean
  /** False: the project's name is `name:` as written, not made valid (`config --no-normalize`). */
  readonly normalizeName?: boolean
  /** `--compatibility` (COMPOSE_COMPATIBILITY): names as Compose v1 made them, `_` between their parts (`p_web_1`). */
  readonly compatibility?: boolean
}

/**
 * Turns the merged document into the typed model, adding what is wrong to `problems` and carrying
 * on, so that the later stages can report their problems in the same run. A service whose
 * definition is unusable is kept with defaults, so that references to it are not reported twice.
 */
export function normalize(merged: MergedCompose, options: NormalizeOptions, problems: Problems): ComposeProject {
  const ctx: FieldContext = {
    problems,
    projectDirectory: options.projectDirectory,
    lookup: options.lookup,
    readText: options.readText ?? (() => undefined),
    ...(options.resolvePaths === false && { keepPaths: true }),
    ...(options.readEnvFiles === false && { leaveEnvFiles: true }),
  }
  const doc = merged.value
  const warnings: string[] = []
  for (const key of Object.keys(doc)) {
    if (!key.startsWith('x-') && !TOP_LEVEL_KEYS.has(key)) problems.add([key], UNKNOWN_TOP_LEVEL_KEY)
  }
  if ('version' in doc)
    warnings.push(`${merged.fileWith('version') ?? merged.files[0]}: \`version\` is obsolete and ignored`)

  const name = projectName(doc, options, problems)
  const separator = options.compatibility ? '_' : '-'
  const all: Record<string, ServiceSpec> = {}
  const rawServices = doc.services ?? {}
  if (!isMapping(rawServices))
    problems.add(['services'], `expected a mapping of services, got ${describe(rawServices)}`)
  else
    for (const [service, raw] of Object.entries(rawServices))
      all[service] = normalizeService(service, raw, `${name}${separator}`, ctx)

  const active =
    options.profiles ??
    (options.lookup('COMPOSE_PROFILES') ?? '')
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)
  const { enabled, disabled } = selectProfiles(all, withProfilesOf(options.enable ?? [], all, active))
  return {
    name,
    ...(options.compatibility && { nameSeparator: '_' as const }),
    directory: options.projectDirectory,
    files: merged.files,
    services: enabled,
    disabled,
    declaredProfiles: [...new Set(Object.values(all).flatMap((s) => s.profiles))].sort(),
    networks: readNetworks(
      doc.networks,
      name,
      ctx,
      Object.values(all).some((s) => 'default' in s.networks),
    ),
    volumes: readTopLevelVolumes(doc.volumes, name, ctx),
    secrets: readFileObjects(doc.secrets, 'secrets', name, ctx),
    configs: readFileObjects(doc.configs, 'configs', name, ctx),
    models: readModels(doc.models, ctx),
    warnings,
    extensions: Object.fromEntries(Object.entries(doc).filter(([key]) => key.startsWith('x-'))),
  }
}

function projectName(doc: Record<string, unknown>, options: NormalizeOptions, problems: Problems): string {
  const topLevel = typeof doc.name === 'string' ? doc.name : undefined
  if (doc.name !== undefined && topLevel === undefined)
    problems.add(['name'], `expected a string, got ${describe(doc.name)}`)
  const chosen = chooseProjectName({
    explicit: options.projectName,
    environment: options.lookup('COMPOSE_PROJECT_NAME'),
    topLevel,
    directory: options.nameDirectory ?? options.projectDirectory,
    asWritten: options.normalizeName === false,
  })
  if (options.normalizeName !== false && !isValidProjectName(chosen.name)) {
    problems.add(
      chosen.from === 'name:' ? ['name'] : [],
      `invalid project name ${JSON.stringify(chosen.name)} (from ${chosen.from}): ` +
        'use lower case letters, digits, dashes and underscores, starting with a letter or digit',
    )
  }
  return chosen.name
}

/** What the Compose Specification asks a container name to hold somewhere in it, as Compose 2.40 checks it. */
const CONTAINER_NAME = /[a-zA-Z0-9][a-zA-Z0-9_.-]+/

/**
 * Keys whose empty value (as an unset variable leaves it) Compose v2 takes for no value at all:
 * they are plain strings in its model, and an empty one is left out.
 */
const EMPTY_IS_ABSENT = [
  'cgroup_parent',
  'cpuset',
  'domainname',
  'hostname',
  'image',
  'ipc',
  'isolation',
  'mac_address',
  'network_mode',
  'pid',
  'platform',
  'runtime',
  'stop_signal',
  'user',
  'userns_mode',
  'uts',
  'working_dir',
]

function withoutEmptyStrings(raw: Record<string, unknown>): Record<string, unknown> {
  if (!EMPTY_IS_ABSENT.some((k) => raw[k] === '')) return raw
  return Object.fromEntries(Object.entries(raw).filter(([k, v]) => !(v === '' && EMPTY_IS_ABSENT.includes(k))))
}

/** Compose v2's rule for service names (its schema's pattern); the engine builds container names from them. */
const SERVICE_NAME = /^[a-zA-Z0-9._-]+$/

/** `namePrefix`: the project's name and its separator (`p-`; `p_` under `--compatibility`), which a default image name starts with. */
function normalizeService(name: string, definition: unknown, namePrefix: string, ctx: FieldContext): ServiceSpec {
  const path: YamlPath = ['services', name]
  const raw = serviceMapping(name, definition, namePrefix, path, ctx)
  const extras = serviceExtras(raw, path, ctx)
  const read = readerOf(raw, path, ctx)
  if (raw.provider != null) readProvider(raw.provider, [...path, 'provider'], ctx)
  const networkMode = read('network_mode', readNetworkMode)
  const optional = optionalFields(read, networkMode)
  const replicas = readReplicas(raw.scale, raw.deploy, path, ctx)
  checkAcrossKeys(raw, optional, replicas, path, ctx)
  const ownEnvironment = read('environment', readKeyValues)
  const links = read('links', readLinks) ?? []
  const volumesFrom = read('volumes_from', readStrings) ?? []
  const host = readHostSettings(raw, path, ctx)
  checkPassedKeys(raw, path, ctx)
  return {
    name,
    image: read('image', readString) ?? `${namePrefix}${name}`,
    expose: read('expose', readExpose) ?? [],
    ports: read('ports', readPorts) ?? [],
    links,
    dependsOn: {
      ...impliedDependencies({ links, networkMode, volumesFrom, host }),
      ...read('depends_on', readDependsOn),
    },
    environment: { ...read('env_file', readServiceEnvFiles), ...ownEnvironment },
    ...(raw.env_file != null && { ownEnvironment: ownEnvironment ?? {} }),
    labels: { ...read('label_file', readLabelFiles), ...read('labels', (v, p, c) => readKeyValues(v, p, c, 'empty')) },
    // A provider service joins no network unless it names one, as in Compose v2.
    networks:
      read('networks', readServiceNetworks) ??
      (networkMode === undefined && raw.provider == null ? { default: { aliases: [] } } : {}),
    volumes: read('volumes', readMounts) ?? [],
    volumesFrom,
    tmpfs: read('tmpfs', readStrings) ?? [],
    extraHosts: read('extra_hosts', readExtraHosts) ?? {},
    profiles: read('profiles', readProfiles) ?? [],
    replicas,
    resources: readResources(raw, path, ctx),
    host,
    run: readRunSettings(raw, path, ctx),
    secrets: read('secrets', readFileMounts) ?? [],
    configs: read('configs', readFileMounts) ?? [],
    ...(Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)) as Partial<ServiceSpec>),
    extras,
    declared: Object.keys(raw).filter((k) => !k.startsWith('x-')),
  }
}

type KeyReader = ReturnType<typeof readerOf>

/** The service's keys that are left out of its spec when not given, read in the order they are checked. */
function optionalFields(read: KeyReader, networkMode: ServiceSpec['networkMode']) {
  return {
    build: read('build', readBuild),
    command: read('command', readCommand),
    entrypoint: read('entrypoint', readCommand),
    networkMode,
    healthcheck: read('healthcheck', readHealthcheck),
    restart: read('restart', readRestart),
    containerName: read('container_name', readString),
    hostname: read('hostname', readString),
    workingDir: read('working_dir', readString),
    user: read('user', readString),
    init: read('init', readBoolean),
    stopSignal: read('stop_signal', readString),
    stopGracePeriodMs: read('stop_grace_period', readDurationMs),
    unsetEnvironment: read('environment', readUnsetNames),
    envFiles: read('env_file', readEnvFileEntries),
  }
}

/** Reads one key of the service with `reader`, at its place; a key not given (or null) is undefined. */
function readerOf(raw: Record<string, unknown>, path: YamlPath, ctx: FieldContext) {
  return <T>(key: string, reader: (value: unknown, p: YamlPath, c: FieldContext) => T): T | undefined =>
    raw[key] === undefined || raw[key] === null ? undefined : reader(raw[key], [...path, key], ctx)
}

/** The service's mapping, its name checked; a service that is not a mapping is reported, and read as an image of its own. */
function serviceMapping(
  name: string,
  definition: unknown,
  namePrefix: string,
  path: YamlPath,
  ctx: FieldContext,
): Record<string, unknown> {
  if (!SERVICE_NAME.test(name))
    ctx.problems.add(path, `invalid service name ${JSON.stringify(name)}: use letters, digits, ".", "_" and "-"`)
  if (!isMapping(definition)) ctx.problems.add(path, `expected a mapping, got ${describe(definition)}`)
  return withoutEmptyStrings(isMapping(definition) ? definition : { image: `${namePrefix}${name}` })
}

/** The keys the model keeps as written (in the long form v2's `config` prints); any key the specification lacks is reported. */
function serviceExtras(raw: Record<string, unknown>, path: YamlPath, ctx: FieldContext): Record<string, unknown> {
  const extras: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(raw)) {
    if (key.startsWith('x-') || (MODELLED_SERVICE_KEYS.has(key) && key !== 'deploy')) continue
    // deploy is kept as written (for `config`), and its replicas and resources are also modelled.
    if (key === 'deploy') extras.deploy = value
    else if (key === 'develop') extras.develop = readDevelop(value, [...path, key], ctx)
    else if (key in PRINTED_AT_LOAD) extras[key] = PRINTED_AT_LOAD[key]!(value)
    else if (SERVICE_KEYS.has(key)) extras[key] = value
    else ctx.problems.add([...path, key], unknownKey())
  }
  return extras
}

/** What no key's reader can tell alone: keys that need, exclude or limit each other. */
function checkAcrossKeys(
  raw: Record<string, unknown>,
  {
    build,
    networkMode,
    containerName,
  }: { [K in 'build' | 'networkMode' | 'containerName']: ServiceSpec[K] | undefined },
  replicas: number,
  path: YamlPath,
  ctx: FieldContext,
): void {
  const at = (key: string): YamlPath => [...path, key]
  // A provider service (`provider:`) is run by its provider's plugin: it has no image of its own.
  if (raw.image === undefined && raw.build === undefined && raw.provider === undefined)
    ctx.problems.add(path, 'needs an `image` or a `build`')
  if (networkMode !== undefined && raw.networks !== undefined)
    ctx.problems.add(at('network_mode'), 'cannot be combined with `networks`')
  const platforms = build?.options.platforms
  if (typeof raw.platform === 'string' && Array.isArray(platforms) && !platforms.includes(raw.platform)) {
    ctx.problems.add(
      at('platform'),
      `is ${JSON.stringify(raw.platform)}, which build.platforms (${platforms.join(', ')}) does not include: Compose builds only those`,
    )
  }
  if (containerName !== undefined && !CONTAINER_NAME.test(containerName)) {
    ctx.problems.add(
      at('container_name'),
      `${JSON.stringify(containerName)} is not a container name: it needs a letter or digit followed by letters, digits, "_", "." or "-"`,
    )
  }
  if (containerName !== undefined && replicas > 1) {
    ctx.problems.add(at('container_name'), `cannot be used with ${replicas} replicas: container names must be unique`)
  }
}
