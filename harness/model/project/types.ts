/** The compose model after normalization: every short syntax turned into its long form. */

export interface BuildSpec {
  /** Absolute path of the build context, or a remote one (a git or HTTP URL) as written. */
  readonly context: string
  /** Path of the Dockerfile, relative to the context. */
  readonly dockerfile: string
  readonly args: Readonly<Record<string, string>>
  readonly target?: string
  /** The other keys of the long syntax (`labels`, `cache_from`, `dockerfile_inline`, …), as written. */
  readonly options: Readonly<Record<string, unknown>>
  /** Those the engine's builder takes, checked (build-fields.ts); `extra_hosts` as the service's. */
  readonly settings: BuildSettings
}

export interface BuildSettings {
  readonly dockerfileInline?: string
  readonly labels?: Readonly<Record<string, string>>
  readonly cacheFrom?: readonly string[]
  readonly network?: string
  readonly shmSizeBytes?: number
  readonly noCache?: boolean
  readonly pull?: boolean
  /** More tags the image gets beside its name. */
  readonly tags?: readonly string[]
  readonly platforms?: readonly string[]
  readonly ulimits?: Readonly<Record<string, UlimitSpec>>
  readonly isolation?: string
  readonly extraHosts?: Readonly<Record<string, readonly string[]>>
  /** `build --memory`: the build container's memory limit, which only the classic builder applies. */
  readonly memoryBytes?: number
  /** `build --provenance`/`--sbom` (and the files' `provenance`/`sbom` under `build`): the attestations asked for, by kind, as buildx writes them (`type=provenance,mode=max`). */
  readonly attests?: Readonly<Record<string, string>>
}

export interface LinkSpec {
  readonly service: string
  /** The host name under which the linked service is reachable (the service name when none is given). */
  readonly alias: string
}

export type DependencyCondition = 'service_started' | 'service_healthy' | 'service_completed_successfully'

export interface DependencySpec {
  readonly condition: DependencyCondition
  readonly required: boolean
  readonly restart: boolean
}

/** The words of a command: a YAML list as it is, a string split like a shell's words (as Compose v2 does). */
export type CommandSpec = readonly string[]

export type Protocol = 'tcp' | 'udp' | 'sctp'

/** One published (or publishable) container port; short syntax ranges are expanded one port each. */
export interface PortSpec {
  readonly target: number
  /** A host port or range (`8080`, `8000-8010`); absent for a random host port. */
  readonly published?: string
  readonly hostIp?: string
  readonly protocol: Protocol
  readonly mode: 'ingress' | 'host'
  /** The long syntax's `name` and `app_protocol`: kept for `config`; the engine has no field for them. */
  readonly name?: string
  readonly appProtocol?: string
}

export interface ServiceNetworkSpec {
  readonly aliases: readonly string[]
  readonly ipv4Address?: string
  readonly ipv6Address?: string
  readonly priority?: number
  readonly linkLocalIps?: readonly string[]
  readonly macAddress?: string
  /** Options of the network driver for this endpoint. */
  readonly driverOpts?: Readonly<Record<string, string>>
  /** Which network gives the container its default gateway (highest wins). */
  readonly gwPriority?: number
  /** The interface's name in the container. */
  readonly interfaceName?: string
  /** The entry is a mapping (`back: {}`), not a bare name: Compose v2 keeps empty settings, not none. */
  readonly settingsWritten?: boolean
}

export interface HealthcheckSpec {
  /** `['NONE']` disables the image's healthcheck; else `['CMD', …]` or `['CMD-SHELL', script]`. */
  readonly test: readonly string[]
  /** Written as `disable: true` (the test is then `['NONE']`); `config` prints it the way it was written. */
  readonly disable?: true
  readonly intervalMs?: number
  readonly timeoutMs?: number
  readonly startPeriodMs?: number
  readonly startIntervalMs?: number
  readonly retries?: number
}

export interface MountSpec {
  /** `image`, `npipe` and `cluster` load, as the specification defines them; `up` refuses them (applied-keys.ts). */
  readonly type: 'volume' | 'bind' | 'tmpfs' | 'image' | 'npipe' | 'cluster'
  /** A volume's key in the top-level `volumes` (absent: anonymous), or an absolute host path. */
  readonly source?: string
  readonly target: string
  readonly readOnly: boolean
  /** A bind whose missing host path the engine creates: the short syntax, or `bind.create_host_path: true`. */
  readonly createHostPath?: boolean
  /** The long syntax's `bind` mapping is written without `create_host_path: true`: the bind does not create its host path. */
  readonly bindSettings?: boolean
  /** The mount has volume settings, even none (`volume: {}`): the short syntax of a volume, or a `volume` mapping written. */
  readonly volumeSettings?: boolean
  /** A volume mount's `volume.subpath`: the volume's subdirectory mounted instead of its root. */
  readonly subpath?: string
  /** An image mount's `image.subpath`, as written. */
  readonly image?: Readonly<Record<string, unknown>>
  /** `nocopy`, `z`, `Z`, `cached`… as written in the short syntax or the long form's options. */
  readonly options?: readonly string[]
  /** A `tmpfs` mapping, even empty: the mount's size in bytes and its mode bits. */
  readonly tmpfs?: { readonly sizeBytes?: number; readonly mode?: number }
  /** A bind's `bind.recursive`: whether, and how read-only, what is mounted under its source is mounted too. */
  readonly recursive?: 'enabled' | 'disabled' | 'writable' | 'readonly'
  /** A volume mount's `volume.labels` (none: absent): given to the volume if the mount creates it. */
  readonly volumeLabels?: Readonly<Record<string, string>>
}

export type RestartPolicy = 'no' | 'always' | 'unless-stopped' | `on-failure${'' | `:${number}`}`

/** One `env_file` entry, its path absolute. */
export interface EnvFileSpec {
  readonly path: string
  readonly required: boolean
  readonly format?: string
}

export interface ServiceSpec {
  readonly name: string
  /** The image to run: `image:` when given, else `<project>-<service>`, the name Compose builds it under. */
  readonly image: string
  readonly build?: BuildSpec
  /** Container ports made known to the network without being published, as written (`2000`, `5000-5002/udp`): Compose v2 hands them to the engine so. */
  readonly expose: readonly string[]
  readonly ports: readonly PortSpec[]
  readonly links: readonly LinkSpec[]
  /** Explicit `depends_on` entries; links add implicit ones in the startup plan. */
  readonly dependsOn: Readonly<Record<string, DependencySpec>>
  /** `env_file` contents first, `environment` over them. */
  readonly environment: Readonly<Record<string, string>>
  /**
   * Names `environment` gives without a value that the project's environment does not set either:
   * Compose v2 keeps them (as null) in the service it hashes, and gives them to the engine bare
   * (`NAME`, in the container's configuration), which sets nothing for them in the container.
   */
  readonly unsetEnvironment?: readonly string[]
  /** `env_file` as written (with `environment`'s own values beside it), for Compose v2's `config --hash`, which hashes the service so. */
  readonly envFiles?: readonly EnvFileSpec[]
  readonly ownEnvironment?: Readonly<Record<string, string>>
  readonly labels: Readonly<Record<string, string>>
  readonly command?: CommandSpec
  readonly entrypoint?: CommandSpec
  /** Network key → how the service joins it; `default` when the service names none. */
  readonly networks: Readonly<Record<string, ServiceNetworkSpec>>
  readonly networkMode?: string
  readonly healthcheck?: HealthcheckSpec
  readonly volumes: readonly MountSpec[]
  readonly volumesFrom: readonly string[]
  readonly tmpfs: readonly string[]
  readonly extraHosts: Readonly<Record<string, readonly string[]>>
  readonly restart?: RestartPolicy
  readonly profiles: readonly string[]
  readonly replicas: number
  readonly containerName?: string
  readonly hostname?: string
  readonly workingDir?: string
  readonly user?: string
  readonly init?: boolean
  readonly stopSignal?: string
  readonly stopGracePeriodMs?: number
  /** From `mem_limit`, `cpus`, `pids_limit`… and `deploy.resources`; empty when the files set none. */
  readonly resources: ResourceLimits
  /** The top-level secrets the service is given (`secrets:`), and where. */
  readonly secrets: readonly FileMountSpec[]
  /** The top-level configs the service is given (`configs:`), and where. */
  readonly configs: readonly FileMountSpec[]
  /** How the container is brought up: platform, pull policy, attaching, lifecycle hooks (run-fields.ts). */
  readonly run: RunSettings
  /** What the service's keys set of the container's host configuration (`cap_add`, `sysctls`, `ulimits`, …). */
  readonly host: HostSettings
  /** Keys of the specification kept as written: checked by name, passed through to `config`. */
  readonly extras: Readonly<Record<string, unknown>>
  /** The keys the files set for this service, for telling the user which ones the runtime cannot apply. */
  readonly declared: readonly string[]
}

export type PullPolicy = 'always' | 'never' | 'missing' | 'if_not_present' | 'build'

/** How a service's container is brought up; a key the files do not set is absent. */
export interface RunSettings {
  readonly platform?: string
  readonly pullPolicy?: PullPolicy
  /** `attach: false`: `up` does not stream the service's output unless `--attach` names it. */
  readonly attach?: boolean
  /** Run in the container after it starts; a failing one fails `up`. */
  readonly postStart?: readonly HookSpec[]
  /** Run in the container before it is stopped. */
  readonly preStop?: readonly HookSpec[]
  /**
   * Run, each in a container of its own, before the service's containers start (when none of them
   * runs): init steps such as migrations; one that fails stops the service from starting.
   */
  readonly preStart?: readonly HookSpec[]
  /** `deploy.restart_policy` as the engine's policy; Compose v2 applies it over `restart`. */
  readonly deployRestart?: RestartPolicy
}

/** A lifecycle hook: a command executed in the service's container. */
export interface HookSpec {
  readonly command: readonly string[]
  readonly user?: string
  readonly privileged?: boolean
  readonly workingDir?: string
  readonly environment: Readonly<Record<string, string>>
  /** `pre_start` only: the image of the step's container (the service's own when absent). */
  readonly image?: string
  /** `pre_start` only: once per replica rather than once for the service. */
  readonly perReplica?: boolean
}

/**
 * The container's host configuration as the service's keys set it, each checked and in the
 * engine's units (host-fields.ts); a key the files do not set is absent.
 */
export interface HostSettings {
  readonly privileged?: boolean
  readonly readOnly?: boolean
  readonly tty?: boolean
  readonly stdinOpen?: boolean
  readonly oomKillDisable?: boolean
  readonly capAdd?: readonly string[]
  readonly capDrop?: readonly string[]
  readonly securityOpt?: readonly string[]
  readonly dns?: readonly string[]
  readonly dnsSearch?: readonly string[]
  readonly dnsOptions?: readonly string[]
  readonly groupAdd?: readonly string[]
  readonly deviceCgroupRules?: readonly string[]
  readonly sysctls?: Readonly<Record<string, string>>
  readonly storageOpt?: Readonly<Record<string, string>>
  readonly ulimits?: Readonly<Record<string, UlimitSpec>>
  readonly shmSizeBytes?: number
  /** `private`, `shareable`, `host`, `none`, `container:NAME` or `service:NAME`. */
  readonly ipc?: string
  /** `host`, `container:NAME` or `service:NAME`. */
  readonly pid?: string
  readonly uts?: string
  readonly cgroup?: string
  readonly cgroupParent?: string
  readonly usernsMode?: string
  readonly runtime?: string
  readonly isolation?: string
  readonly domainname?: string
  readonly macAddress?: string
  readonly cpuset?: string
  readonly oomScoreAdj?: number
  readonly cpuShares?: number
  readonly cpuPeriod?: number
  readonly cpuQuota?: number
  /** Microseconds. */
  readonly cpuRtPeriod?: number
  /** Microseconds. */
  readonly cpuRtRuntime?: number
  readonly cpuCount?: number
  readonly cpuPercent?: number
  readonly memSwappiness?: number
  readonly logging?: { readonly driver?: string; readonly options: Readonly<Record<string, string>> }
  readonly devices?: readonly DeviceSpec[]
  readonly blkio?: BlkioSettings
  /** `gpus:`, as the engine's device requests. */
  readonly gpus?: readonly GpuRequest[]
  readonly annotations?: Readonly<Record<string, string>>
}

/** `blkio_config`: a weight, and per-device weights and rates (bytes or operations per second). */
export interface BlkioSettings {
  readonly weight?: number
  readonly weightDevice: readonly DeviceRate[]
  readonly deviceReadBps: readonly DeviceRate[]
  readonly deviceWriteBps: readonly DeviceRate[]
  readonly deviceReadIops: readonly DeviceRate[]
  readonly deviceWriteIops: readonly DeviceRate[]
}

export interface DeviceRate {
  readonly path: string
  readonly amount: number
}

/** A request for GPUs; a count of -1 is all of them. */
export interface GpuRequest {
  readonly driver?: string
  readonly count?: number
  readonly deviceIds?: readonly string[]
  readonly capabilities?: readonly string[]
  readonly options?: Readonly<Record<string, string>>
}

export interface UlimitSpec {
  /** -1 for unlimited. */
  readonly soft: number
  readonly hard: number
}

/** A host device given to the container. */
export interface DeviceSpec {
  readonly source: string
  readonly target: string
  /** Of r, w, m. */
  readonly permissions: string
}

/** Resource limits in the engine's units. */
export interface ResourceLimits {
  readonly memoryBytes?: number
  /** Memory plus swap; -1 for unlimited swap. */
  readonly memorySwapBytes?: number
  readonly memoryReservationBytes?: number
  /** CPUs in billionths: `cpus: 0.5` is 500000000. */
  readonly nanoCpus?: number
  /** -1 for no limit. */
  readonly pidsLimit?: number
  /** `deploy.resources.reservations.devices`: devices (GPUs…) the engine's device drivers give. */
  readonly devices?: readonly GpuRequest[]
}

export interface NetworkSpec {
  /** The engine's name: `<project>_<key>`, or `name:` as written, or the external network's name. */
  readonly name: string
  readonly driver?: string
  readonly external: boolean
  readonly internal: boolean
  readonly labels: Readonly<Record<string, string>>
  /** `ipam`, `driver_opts`, `attachable`, `enable_ipv6`, `enable_ipv4` as written. */
  readonly options: Readonly<Record<string, unknown>>
}

export interface VolumeSpec {
  readonly name: string
  readonly driver?: string
  readonly external: boolean
  readonly labels: Readonly<Record<string, string>>
  /** `driver_opts`, handed to the engine when the volume is created. */
  readonly driverOpts?: Readonly<Record<string, string>>
}

/** A service's use of a top-level secret or config; where it lands when `target` is absent is the runtime's rule. */
export interface FileMountSpec {
  readonly source: string
  readonly target?: string
  readonly uid?: string
  readonly gid?: string
  /** File mode bits. */
  readonly mode?: number
}

/** A top-level secret or config: where its content comes from, under the engine's name. */
export interface FileObjectSpec {
  readonly name: string
  readonly external: boolean
  /** Absolute path. */
  readonly file?: string
  /** The variable whose value it is. */
  readonly environment?: string
  /** That variable's value, as the project's environment gives it (absent when it is not set). */
  readonly value?: string
  /** Configs only: the content itself. */
  readonly content?: string
  readonly labels: Readonly<Record<string, string>>
}

/** What the parts of a project's container and default image names are joined with: `-`, or v1's `_` under `--compatibility`. */
export function nameSeparatorOf(project: Pick<ComposeProject, 'nameSeparator'>): '-' | '_' {
  return project.nameSeparator ?? '-'
}

export interface ComposeProject {
  readonly name: string
  /** `_` under `--compatibility`: the parts of the names of containers and default images are joined as Compose v1 joined them. `-` when absent. */
  readonly nameSeparator?: '_'
  /** Absolute directory against which relative paths resolve (the first file's, unless given). */
  readonly directory: string
  /** Absolute paths of the files merged, in order. */
  readonly files: readonly string[]
  /**
   * Known by its name alone, as the engine has it (`-p NAME` with no compose file): it has no
   * services of its own, and a service named is whatever its containers' labels name.
   */
  readonly byName?: true
  /** Enabled services, in the order the files declare them. */
  readonly services: Readonly<Record<string, ServiceSpec>>
  /** Services left out because none of their profiles is active. */
  readonly disabled: readonly string[]
  /** Every profile a service names, active or not, sorted (`config --profiles`). */
  readonly declaredProfiles: readonly string[]
  readonly networks: Readonly<Record<string, NetworkSpec>>
  readonly volumes: Readonly<Record<string, VolumeSpec>>
  readonly secrets: Readonly<Record<string, FileObjectSpec>>
  readonly configs: Readonly<Record<string, FileObjectSpec>>
  /** Top-level `models` (AI models a model runner serves), shape checked, as written. */
  readonly models: Readonly<Record<string, Readonly<Record<string, unknown>>>>
  /** Things Compose accepts but warns about: the obsolete `version:`, unset variables. */
  readonly warnings: readonly string[]
  /** Top-level `x-…` keys, as written (after YAML anchors and merges): printed by `config`, as Compose v2 does. */
  readonly extensions: Readonly<Record<string, unknown>>
}
