import { formatDuration } from '../document/duration.js'
import { bytesText, fileModeText, printedExtras, stringMapping } from '../fields/extras-long-form.js'
import { PROPAGATIONS, SELINUX_LABELS } from '../fields/mount-fields.js'
import { referencedSource } from '../fields/top-level.js'
import { withoutEmpty } from './go-json.js'
import { SERVICE_SHAPE } from './go-shapes.js'
import { withWrittenExtensions } from './written-extensions.js'
import type {
  BuildSpec,
  ComposeProject,
  DependencySpec,
  FileObjectSpec,
  HealthcheckSpec,
  MountSpec,
  NetworkSpec,
  PortSpec,
  ServiceNetworkSpec,
  ServiceSpec,
  VolumeSpec,
} from '../project/types.js'

/**
 * The model written back as a compose document in long syntax, as `docker compose config` prints
 * it: loading the document again gives the same model. With `written` (the merged document), the
 * `x-` keys inside its services and resources are printed too, as v2 prints them.
 */
export function toComposeDocument(
  project: ComposeProject,
  {
    allResources = false,
    written,
  }: { readonly allResources?: boolean; readonly written?: Record<string, unknown> } = {},
): Record<string, unknown> {
  const doc = documentOf(project, allResources)
  return escapeDollars(written ? withWrittenExtensions(doc, written) : doc) as Record<string, unknown>
}

/**
 * As in Compose v2, networks, volumes, secrets, configs and models that no enabled service uses are
 * left out (and never created), unless `allResources` (`--all-resources`) keeps them.
 */
function documentOf(project: ComposeProject, allResources: boolean): Record<string, unknown> {
  const services = Object.values(project.services)
  const networks = Object.entries(project.networks).filter(
    ([key]) => allResources || services.some((s) => key in s.networks),
  )
  const volumes = Object.entries(project.volumes).filter(
    ([key]) => allResources || services.some((s) => s.volumes.some((m) => m.type === 'volume' && m.source === key)),
  )
  const everything = (keys: Iterable<string>) => (allResources ? { has: () => true } : new Set(keys))
  return compact({
    ...project.extensions,
    name: project.name,
    services: Object.fromEntries(services.map((s) => [s.name, serviceDocument(s)])),
    networks:
      networks.length > 0 ? Object.fromEntries(networks.map(([key, n]) => [key, resourceDocument(n)])) : undefined,
    volumes: volumes.length > 0 ? Object.fromEntries(volumes.map(([key, v]) => [key, resourceDocument(v)])) : undefined,
    secrets: fileObjects(project.secrets, everything(used(services, 'secrets'))),
    configs: fileObjects(project.configs, everything(used(services, 'configs'))),
    models: nonEmpty(
      Object.fromEntries(Object.entries(project.models).filter(([key]) => everything(usedModels(services)).has(key))),
    ),
  })
}

/** The top-level models that some service names (a list of names, or a mapping by name). */
function usedModels(services: readonly ServiceSpec[]): Set<string> {
  return new Set(
    services.flatMap((s) => {
      const models = s.extras.models
      if (Array.isArray(models)) return models.map(String)
      return models !== null && typeof models === 'object' ? Object.keys(models) : []
    }),
  )
}

/**
 * The document as Compose v2 prints it in YAML, where it differs from its JSON: a ulimit of 0,
 * `{}` in JSON (its soft and hard limits left out), is written with both (`soft: 0`, `hard: 0`).
 */
export function yamlForm(doc: Record<string, unknown>): Record<string, unknown> {
  const services = doc.services as Record<string, Record<string, unknown>> | undefined
  if (!services) return doc
  const withLimits = (service: Record<string, unknown>) => {
    const ulimits = service.ulimits as Record<string, unknown> | undefined
    if (!ulimits) return service
    const written = Object.entries(ulimits).map(([name, limit]): [string, unknown] => [
      name,
      limit !== null && typeof limit === 'object' && Object.keys(limit).length === 0 ? { soft: 0, hard: 0 } : limit,
    ])
    return { ...service, ulimits: Object.fromEntries(written) }
  }
  return {
    ...doc,
    services: Object.fromEntries(Object.entries(services).map(([name, s]) => [name, withLimits(s)])),
  }
}

/** A service as `config` prints it, before `$` is escaped: the values the model holds, less what Go leaves out. */
export function serviceDocument(s: ServiceSpec): Record<string, unknown> {
  return withoutEmpty(writtenService(s), SERVICE_SHAPE) as Record<string, unknown>
}

function writtenService(s: ServiceSpec): Record<string, unknown> {
  return compact({
    ...printedExtras(s.extras),
    ...resourceKeys(s),
    // Compose v2 prints no image for a service that only builds: the name it builds under is implied.
    image: (s.build || s.declared.includes('provider')) && !s.declared.includes('image') ? undefined : s.image,
    build: s.build && buildDocument(s.build),
    command: s.command,
    entrypoint: s.entrypoint,
    container_name: s.containerName,
    depends_on: nonEmpty(
      Object.fromEntries(Object.entries(s.dependsOn).map(([dep, d]) => [dep, dependencyDocument(d)])),
    ),
    environment: nonEmpty({
      ...s.environment,
      ...Object.fromEntries((s.unsetEnvironment ?? []).map((name) => [name, null])),
    }),
    expose: s.expose.length > 0 ? s.expose : undefined,
    extra_hosts: hostsDocument(s.extraHosts),
    healthcheck: s.healthcheck && healthcheckDocument(s.healthcheck),
    hostname: s.hostname,
    init: s.init,
    labels: nonEmpty(s.labels),
    links:
      s.links.length > 0
        ? s.links.map((l) => (l.alias === l.service ? l.service : `${l.service}:${l.alias}`))
        : undefined,
    network_mode: s.networkMode,
    networks: nonEmpty(
      Object.fromEntries(Object.entries(s.networks).map(([key, n]) => [key, serviceNetworkDocument(n)])),
    ),
    ports: s.ports.length > 0 ? s.ports.map(portDocument) : undefined,
    profiles: s.profiles.length > 0 ? s.profiles : undefined,
    restart: s.restart,
    // Written as the files write it: `scale`, or `deploy.replicas` (kept in extras).
    scale: s.declared.includes('scale') ? s.replicas : undefined,
    stop_grace_period: s.stopGracePeriodMs === undefined ? undefined : formatDuration(s.stopGracePeriodMs),
    stop_signal: s.stopSignal,
    tmpfs: s.tmpfs.length > 0 ? s.tmpfs : undefined,
    user: s.user,
    volumes: s.volumes.length > 0 ? s.volumes.map(mountDocument) : undefined,
    volumes_from: s.volumesFrom.length > 0 ? s.volumesFrom : undefined,
    working_dir: s.workingDir,
  })
}

/** Long syntax, the options in v2's shapes; no `dockerfile` beside an inline one, as v2 prints it. */
function buildDocument(b: BuildSpec): Record<string, unknown> {
  const o = b.options
  return compact({
    ...o,
    context: b.context,
    dockerfile: o.dockerfile_inline === undefined && b.dockerfile !== '' ? b.dockerfile : undefined,
    args: nonEmpty(b.args),
    target: b.target,
    labels: o.labels === undefined ? undefined : stringMapping(o.labels),
    extra_hosts: o.extra_hosts && hostsDocument(o.extra_hosts as ServiceSpec['extraHosts']),
    shm_size: o.shm_size === undefined ? undefined : bytesText(o.shm_size),
    secrets: Array.isArray(o.secrets)
      ? (o.secrets as unknown[]).map((s) => fileModeText(typeof s === 'string' ? { source: s } : s))
      : o.secrets,
  })
}

function dependencyDocument(d: DependencySpec): Record<string, unknown> {
  return compact({ condition: d.condition, required: d.required, restart: d.restart || undefined })
}

/** `host=address` items, sorted, as Compose v2 prints `extra_hosts` whichever syntax the file used. */
function hostsDocument(hosts: ServiceSpec['extraHosts']): string[] | undefined {
  const items = Object.entries(hosts).flatMap(([host, ips]) => ips.map((ip) => `${host}=${ip}`))
  return items.length > 0 ? items.sort() : undefined
}

/** A number written as text (`cpus: "0.25"`) as the number v2 prints; anything else as written. */
function numberOf(value: unknown): unknown {
  return typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : value
}

/** The numbers of `deploy` that an interpolated value gives as text (`replicas: ${R:-1}`), as the numbers compose-go casts them to. */
function deployNumbers(deploy: object): Record<string, unknown> {
  const fields = deploy as Record<string, unknown>
  const at = (section: string, keys: readonly string[]) => {
    const own = fields[section]
    if (typeof own !== 'object' || own === null) return {}
    const written = own as Record<string, unknown>
    const cast = keys.filter((k) => k in written).map((k): [string, unknown] => [k, numberOf(written[k])])
    return { [section]: { ...written, ...Object.fromEntries(cast) } }
  }
  return {
    ...('replicas' in fields && { replicas: numberOf(fields.replicas) }),
    ...at('update_config', ['parallelism', 'max_failure_ratio']),
    ...at('rollback_config', ['parallelism', 'max_failure_ratio']),
    ...at('restart_policy', ['max_attempts']),
    ...at('placement', ['max_replicas_per_node']),
  }
}

/**
 * Resource limits in Compose v2's units: bytes as decimal strings, CPUs as numbers, whichever
 * spelling the files used; `deploy.resources` otherwise stays as written.
 */
function resourceKeys(s: ServiceSpec): Record<string, unknown> {
  const r = s.resources
  const bytes = (n: number | undefined) => (n === undefined ? undefined : String(n))
  const cpus = (n: number | undefined) => (n === undefined ? undefined : n / 1e9)
  const has = (key: string) => s.declared.includes(key)
  const deploy = s.extras.deploy as { resources?: { limits?: object; reservations?: object } } | undefined
  const limits =
    deploy?.resources?.limits &&
    compact({ ...deploy.resources.limits, memory: bytes(r.memoryBytes), cpus: cpus(r.nanoCpus), pids: r.pidsLimit })
  const reservations =
    deploy?.resources?.reservations &&
    compact({
      ...deploy.resources.reservations,
      memory: bytes(r.memoryReservationBytes),
      cpus: numberOf((deploy.resources.reservations as { cpus?: unknown }).cpus),
    })
  return compact({
    mem_limit: has('mem_limit') ? bytes(r.memoryBytes) : undefined,
    memswap_limit: has('memswap_limit') ? bytes(r.memorySwapBytes) : undefined,
    mem_reservation: has('mem_reservation') ? bytes(r.memoryReservationBytes) : undefined,
    cpus: has('cpus') ? cpus(r.nanoCpus) : undefined,
    pids_limit: has('pids_limit') ? r.pidsLimit : undefined,
    deploy:
      deploy &&
      compact({
        ...deploy,
        ...((deploy as { labels?: unknown }).labels !== undefined && {
          labels: stringMapping((deploy as { labels?: unknown }).labels),
        }),
        resources: deploy.resources && compact({ ...deploy.resources, limits, reservations }),
        ...deployNumbers(deploy),
        // compose-go's consistency check gives `deploy` the `scale` written beside it.
        ...(has('scale') && { replicas: s.replicas }),
      }),
  })
}

export function portDocument(p: PortSpec): Record<string, unknown> {
  return compact({
    name: p.name,
    target: p.target,
    published: p.published,
    host_ip: p.hostIp,
    protocol: p.protocol,
    mode: p.mode,
    app_protocol: p.appProtocol,
  })
}

/** The long form, as Compose 2.40 prints every mount (options it has no field for, such as `cached`, are left out). */
export function mountDocument(m: MountSpec): Record<string, unknown> {
  const options = m.options ?? []
  const nocopy = options.includes('nocopy')
  const bind = compact({
    selinux: options.find((o) => SELINUX_LABELS.includes(o)),
    propagation: options.find((o) => PROPAGATIONS.includes(o)),
    create_host_path: m.createHostPath || undefined,
    recursive: m.recursive,
  })
  return compact({
    type: m.type,
    source: m.source,
    target: m.target,
    read_only: m.readOnly || undefined,
    bind: m.type === 'bind' && (Object.keys(bind).length > 0 || m.bindSettings) ? bind : undefined,
    volume:
      nocopy || m.subpath !== undefined || m.volumeSettings
        ? compact({ labels: m.volumeLabels, nocopy: nocopy || undefined, subpath: m.subpath })
        : undefined,
    // Compose 2.40 prints a tmpfs's size as a string of bytes, its mode as a decimal number.
    tmpfs: m.tmpfs && compact({ size: m.tmpfs.sizeBytes?.toString(), mode: m.tmpfs.mode }),
    image: m.image,
  })
}

function serviceNetworkDocument(n: ServiceNetworkSpec): Record<string, unknown> | null {
  const doc = compact({
    mac_address: n.macAddress,
    driver_opts: n.driverOpts,
    gw_priority: n.gwPriority,
    interface_name: n.interfaceName,
    aliases: n.aliases.length > 0 ? n.aliases : undefined,
    ipv4_address: n.ipv4Address,
    ipv6_address: n.ipv6Address,
    link_local_ips: n.linkLocalIps,
    priority: n.priority,
  })
  return Object.keys(doc).length > 0 || n.settingsWritten ? doc : null
}

function healthcheckDocument(h: HealthcheckSpec): Record<string, unknown> {
  const duration = (ms: number | undefined) => (ms === undefined ? undefined : formatDuration(ms))
  if (h.disable) return { disable: true }
  return compact({
    test: h.test,
    interval: duration(h.intervalMs),
    timeout: duration(h.timeoutMs),
    retries: h.retries,
    start_period: duration(h.startPeriodMs),
    start_interval: duration(h.startIntervalMs),
  })
}

/** A network or volume as `config` prints it, before `$` is escaped. */
export function resourceDocument(r: NetworkSpec | VolumeSpec): Record<string, unknown> {
  return compact({
    ...('options' in r && r.options),
    ...('driverOpts' in r && { driver_opts: r.driverOpts }),
    name: r.name || undefined,
    driver: r.driver,
    external: r.external || undefined,
    internal: ('internal' in r && r.internal) || undefined,
    labels: nonEmpty(r.labels),
  })
}

/** The top-level secrets or configs that some service refers to. */
function used(services: readonly ServiceSpec[], kind: 'secrets' | 'configs'): Set<string> {
  const lists = services.flatMap((s) => [s.extras[kind], kind === 'secrets' ? s.build?.options.secrets : undefined])
  const refs = lists.flatMap((l) => (Array.isArray(l) ? (l as unknown[]) : []))
  return new Set(refs.map(referencedSource).filter((s) => s !== undefined))
}

function fileObjects(
  objects: Readonly<Record<string, FileObjectSpec>>,
  used: { has(key: string): boolean },
): Record<string, unknown> | undefined {
  const entries = Object.entries(objects)
    .filter(([key]) => used.has(key))
    .map(([key, o]): [string, unknown] => [
      key,
      compact({
        name: o.name,
        file: o.file,
        environment: o.environment,
        content: o.content,
        external: o.external || undefined,
        labels: nonEmpty(o.labels),
      }),
    ])
  return entries.length > 0 ? Object.fromEntries(entries) : undefined
}

function nonEmpty<T extends object>(value: T): T | undefined {
  return Object.keys(value).length > 0 ? value : undefined
}

/** Values are final: a `$` left in them is written `$$`, so that loading the document again keeps it. */
function escapeDollars(value: unknown): unknown {
  if (typeof value === 'string') return value.replaceAll('$', '$$$$')
  if (Array.isArray(value)) return value.map(escapeDollars)
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeDollars(v)]))
  return value
}

/** Drops undefined entries, so that the document holds only what is set. */
function compact(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined))
}
