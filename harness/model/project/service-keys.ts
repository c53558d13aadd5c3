/** The keys the Compose Specification defines, at the top level and in a service. */

/**
 * How the model reads a service key, and so what the runtime does with it:
 * - `typed`: normalization reads it into a typed field of the service;
 * - `host`: a host setting, read by `fields/host-fields.ts` into the engine's units;
 * - `run`: a setting of how the service runs, read by `fields/run-fields.ts`;
 * - `limit`: a resource limit, kept as written and read into `resources` by `fields/resource-fields.ts`;
 * - `kept`: kept as written (`extras`), its shape checked, applied by the runtime as written;
 * - `watched`: kept as written, its shape checked, left by `up` to `watch` and `up --watch` (`develop`);
 * - `unapplied`: kept as written, its shape checked, and refused by `up`, naming the key and why;
 * - `resolved`: resolved at load, before the files are merged (`extends`), so no service has it after.
 */
export type KeyReading = 'typed' | 'host' | 'run' | 'limit' | 'kept' | 'watched' | 'unapplied' | 'resolved'

/** Every service key of the specification, with how it is read: the one list the others are derived from. */
export const SERVICE_KEY_READING = {
  annotations: 'host',
  attach: 'run',
  blkio_config: 'host',
  build: 'typed',
  cap_add: 'host',
  cap_drop: 'host',
  cgroup: 'host',
  cgroup_parent: 'host',
  command: 'typed',
  configs: 'kept',
  container_name: 'typed',
  cpu_count: 'host',
  cpu_percent: 'host',
  cpu_period: 'host',
  cpu_quota: 'host',
  cpu_rt_period: 'host',
  cpu_rt_runtime: 'host',
  cpu_shares: 'host',
  cpus: 'limit',
  cpuset: 'host',
  credential_spec: 'unapplied',
  depends_on: 'typed',
  deploy: 'typed',
  develop: 'watched',
  device_cgroup_rules: 'host',
  devices: 'host',
  dns: 'host',
  dns_opt: 'host',
  dns_search: 'host',
  domainname: 'host',
  entrypoint: 'typed',
  env_file: 'typed',
  environment: 'typed',
  expose: 'typed',
  extends: 'resolved',
  external_links: 'kept',
  extra_hosts: 'typed',
  gpus: 'host',
  group_add: 'host',
  healthcheck: 'typed',
  hostname: 'typed',
  image: 'typed',
  init: 'typed',
  ipc: 'host',
  isolation: 'host',
  label_file: 'typed',
  labels: 'typed',
  links: 'typed',
  logging: 'host',
  mac_address: 'host',
  mem_limit: 'limit',
  mem_reservation: 'limit',
  mem_swappiness: 'host',
  memswap_limit: 'limit',
  models: 'unapplied',
  network_mode: 'typed',
  networks: 'typed',
  oom_kill_disable: 'host',
  oom_score_adj: 'host',
  pid: 'host',
  pids_limit: 'limit',
  platform: 'run',
  ports: 'typed',
  post_start: 'run',
  pre_start: 'run',
  pre_stop: 'run',
  privileged: 'host',
  profiles: 'typed',
  provider: 'unapplied',
  pull_policy: 'run',
  read_only: 'host',
  restart: 'typed',
  runtime: 'host',
  scale: 'typed',
  secrets: 'kept',
  security_opt: 'host',
  shm_size: 'host',
  stdin_open: 'host',
  stop_grace_period: 'typed',
  stop_signal: 'typed',
  storage_opt: 'host',
  sysctls: 'host',
  tmpfs: 'typed',
  tty: 'host',
  ulimits: 'host',
  use_api_socket: 'unapplied',
  user: 'typed',
  userns_mode: 'host',
  uts: 'host',
  volumes: 'typed',
  volumes_from: 'typed',
  working_dir: 'typed',
} as const satisfies Readonly<Record<string, KeyReading>>

/** A service key of the specification. */
export type ServiceKey = keyof typeof SERVICE_KEY_READING

/** The service keys read as `reading` says, as a type: tables of readers are checked against it. */
export type ServiceKeysRead<R extends KeyReading> = {
  [K in ServiceKey]: (typeof SERVICE_KEY_READING)[K] extends R ? K : never
}[ServiceKey]

/** The service keys read as one of `readings` says. */
export function serviceKeysRead<R extends KeyReading>(...readings: R[]): ReadonlySet<ServiceKeysRead<R>> {
  return new Set(
    (Object.keys(SERVICE_KEY_READING) as ServiceKey[]).filter((k): k is ServiceKeysRead<R> =>
      (readings as readonly KeyReading[]).includes(SERVICE_KEY_READING[k]),
    ),
  )
}

export const SERVICE_KEYS: ReadonlySet<string> = new Set(Object.keys(SERVICE_KEY_READING))

/** Service keys that normalization reads into typed fields; the others stay in `extras` as written. */
export const MODELLED_SERVICE_KEYS: ReadonlySet<string> = serviceKeysRead('typed')

export const TOP_LEVEL_KEYS: ReadonlySet<string> = new Set([
  'version',
  'name',
  'services',
  'networks',
  'volumes',
  'configs',
  'secrets',
  'include',
  'models',
])
