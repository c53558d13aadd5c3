/**
 * A service written as JSON byte for byte as Compose v2 writes it: Go's `encoding/json` on
 * compose-go's structs. Go writes a struct's fields in their declared order, a map's keys sorted,
 * leaves out what `omitempty` leaves out (a pointer only when absent, a struct never), escapes
 * `<`, `>` and `&`, and writes a float32 in its shortest form. The shapes below are compose-go
 * 2.9's (the one Compose 2.40 is built with), for the keys a service can have.
 */

/** How Go writes one value: its type, and for a struct field whether `omitempty` can leave it out. */
type Shape =
  | 'string'
  | 'int'
  | 'bool'
  /** float32 (`cpus`): the shortest decimal that reads back as the same float32. */
  | 'float32'
  /** `UnitBytes`: a decimal number in a string. */
  | 'bytes'
  /** A value Go writes in a form the document already has (a duration, a file mode, a ulimit). */
  | 'as-is'
  | { readonly list: Shape }
  | { readonly map: Shape }
  | { readonly struct: readonly Field[] }

/**
 * `omit`: `omitempty` on a value type, left out when zero or empty; `pointer`: left out only
 * when absent; `always`: no `omitempty` (absent lists are written `null`), or a struct value,
 * which `omitempty` never leaves out.
 */
type Field = readonly [key: string, shape: Shape, presence?: 'omit' | 'pointer' | 'always']

const STRINGS: Shape = { list: 'string' }
const STRING_MAP: Shape = { map: 'string' }

const struct = (...fields: Field[]): Shape => ({ struct: fields })

const HOOK = struct(
  ['command', STRINGS, 'always'],
  ['user', 'string'],
  ['privileged', 'bool'],
  ['working_dir', 'string'],
  ['environment', STRING_MAP],
)

const DEVICE_REQUEST = struct(
  ['capabilities', STRINGS],
  ['driver', 'string'],
  ['count', 'int'],
  ['device_ids', STRINGS],
  ['options', STRING_MAP],
)

const RESOURCE = struct(
  ['cpus', 'float32'],
  ['memory', 'bytes'],
  ['pids', 'int'],
  ['devices', { list: DEVICE_REQUEST }],
  [
    'generic_resources',
    {
      list: struct([
        'discrete_resource_spec',
        struct(['kind', 'string', 'always'], ['value', 'int', 'always']),
        'pointer',
      ]),
    },
  ],
)

const UPDATE = struct(
  ['parallelism', 'int', 'pointer'],
  ['delay', 'as-is'],
  ['failure_action', 'string'],
  ['monitor', 'as-is'],
  ['max_failure_ratio', 'float32'],
  ['order', 'string'],
)

const DEPLOY = struct(
  ['mode', 'string'],
  ['replicas', 'int', 'pointer'],
  ['labels', STRING_MAP],
  ['update_config', UPDATE, 'pointer'],
  ['rollback_config', UPDATE, 'pointer'],
  ['resources', struct(['limits', RESOURCE, 'pointer'], ['reservations', RESOURCE, 'pointer']), 'always'],
  [
    'restart_policy',
    struct(
      ['condition', 'string'],
      ['delay', 'as-is', 'pointer'],
      ['max_attempts', 'int', 'pointer'],
      ['window', 'as-is', 'pointer'],
    ),
    'pointer',
  ],
  [
    'placement',
    struct(
      ['constraints', STRINGS],
      ['preferences', { list: struct(['spread', 'string']) }],
      ['max_replicas_per_node', 'int'],
    ),
    'always',
  ],
  ['endpoint_mode', 'string'],
)

const THROTTLE = { list: struct(['Path', 'string', 'always'], ['Rate', 'bytes', 'always']) }

const BLKIO = struct(
  ['weight', 'int'],
  ['weight_device', { list: struct(['Path', 'string', 'always'], ['Weight', 'int', 'always']) }],
  ['device_read_bps', THROTTLE],
  ['device_read_iops', THROTTLE],
  ['device_write_bps', THROTTLE],
  ['device_write_iops', THROTTLE],
)

const FILE_REFERENCE = struct(
  ['source', 'string'],
  ['target', 'string'],
  ['uid', 'string'],
  ['gid', 'string'],
  ['mode', 'as-is', 'pointer'],
)

const SERVICE_NETWORK = struct(
  ['aliases', STRINGS],
  ['driver_opts', STRING_MAP],
  ['gw_priority', 'int'],
  ['interface_name', 'string'],
  ['ipv4_address', 'string'],
  ['ipv6_address', 'string'],
  ['link_local_ips', STRINGS],
  ['mac_address', 'string'],
  ['priority', 'int'],
)

const PORT = struct(
  ['name', 'string'],
  ['mode', 'string'],
  ['host_ip', 'string'],
  ['target', 'int'],
  ['published', 'string'],
  ['protocol', 'string'],
  ['app_protocol', 'string'],
)

const MOUNT = struct(
  ['type', 'string'],
  ['source', 'string'],
  ['target', 'string'],
  ['read_only', 'bool'],
  ['consistency', 'string'],
  [
    'bind',
    struct(['selinux', 'string'], ['propagation', 'string'], ['create_host_path', 'bool'], ['recursive', 'string']),
    'pointer',
  ],
  ['volume', struct(['labels', STRING_MAP], ['nocopy', 'bool'], ['subpath', 'string']), 'pointer'],
  ['tmpfs', struct(['size', 'bytes'], ['mode', 'int']), 'pointer'],
  ['image', struct(['subpath', 'string']), 'pointer'],
)

const TRIGGER = struct(
  ['path', 'string', 'always'],
  ['action', 'string', 'always'],
  ['target', 'string'],
  ['exec', HOOK, 'always'],
  ['include', STRINGS],
  ['ignore', STRINGS],
  ['initial_sync', 'bool'],
)

/** compose-go's `ServiceConfig`, in its declared order. */
export const SERVICE_SHAPE = struct(
  ['profiles', STRINGS],
  ['annotations', STRING_MAP],
  ['attach', 'bool', 'pointer'],
  ['build', 'as-is', 'pointer'],
  ['develop', struct(['watch', { list: TRIGGER }]), 'pointer'],
  ['blkio_config', BLKIO, 'pointer'],
  ['cap_add', STRINGS],
  ['cap_drop', STRINGS],
  ['cgroup_parent', 'string'],
  ['cgroup', 'string'],
  ['cpu_count', 'int'],
  ['cpu_percent', 'float32'],
  ['cpu_period', 'int'],
  ['cpu_quota', 'int'],
  ['cpu_rt_period', 'int'],
  ['cpu_rt_runtime', 'int'],
  ['cpus', 'float32'],
  ['cpuset', 'string'],
  ['cpu_shares', 'int'],
  ['command', STRINGS, 'always'],
  ['configs', { list: FILE_REFERENCE }],
  ['container_name', 'string'],
  ['credential_spec', struct(['config', 'string'], ['file', 'string'], ['registry', 'string']), 'pointer'],
  ['depends_on', 'as-is'],
  ['deploy', DEPLOY, 'pointer'],
  ['device_cgroup_rules', STRINGS],
  ['devices', { list: struct(['source', 'string'], ['target', 'string'], ['permissions', 'string']) }],
  ['dns', STRINGS],
  ['dns_opt', STRINGS],
  ['dns_search', STRINGS],
  ['dockerfile', 'string'],
  ['domainname', 'string'],
  ['entrypoint', STRINGS, 'always'],
  ['provider', struct(['type', 'string'], ['options', { map: STRINGS }]), 'pointer'],
  ['environment', STRING_MAP],
  // An entry that is required is written as its path alone.
  ['env_file', { list: struct(['path', 'string'], ['required', 'bool', 'always'], ['format', 'string']) }],
  ['expose', STRINGS],
  ['extends', struct(['file', 'string'], ['service', 'string']), 'pointer'],
  ['external_links', STRINGS],
  ['extra_hosts', STRINGS],
  ['group_add', STRINGS],
  ['gpus', { list: DEVICE_REQUEST }],
  ['hostname', 'string'],
  [
    'healthcheck',
    struct(
      ['test', STRINGS],
      ['timeout', 'as-is', 'pointer'],
      ['interval', 'as-is', 'pointer'],
      ['retries', 'int', 'pointer'],
      ['start_period', 'as-is', 'pointer'],
      ['start_interval', 'as-is', 'pointer'],
      ['disable', 'bool'],
    ),
    'pointer',
  ],
  ['image', 'string'],
  ['init', 'bool', 'pointer'],
  ['ipc', 'string'],
  ['isolation', 'string'],
  ['labels', STRING_MAP],
  ['label_file', STRINGS],
  ['links', STRINGS],
  ['logging', struct(['driver', 'string'], ['options', STRING_MAP]), 'pointer'],
  ['log_driver', 'string'],
  ['log_opt', STRING_MAP],
  ['mem_limit', 'bytes'],
  ['mem_reservation', 'bytes'],
  ['memswap_limit', 'bytes'],
  ['mem_swappiness', 'bytes'],
  ['mac_address', 'string'],
  ['models', { map: struct(['endpoint_var', 'string'], ['model_var', 'string']) }],
  ['net', 'string'],
  ['network_mode', 'string'],
  ['networks', { map: SERVICE_NETWORK }],
  ['oom_kill_disable', 'bool'],
  ['oom_score_adj', 'int'],
  ['pid', 'string'],
  ['pids_limit', 'int'],
  ['platform', 'string'],
  ['ports', { list: PORT }],
  ['privileged', 'bool'],
  ['pull_policy', 'string'],
  ['read_only', 'bool'],
  ['restart', 'string'],
  ['runtime', 'string'],
  ['scale', 'int', 'pointer'],
  ['secrets', { list: FILE_REFERENCE }],
  ['security_opt', STRINGS],
  ['shm_size', 'bytes'],
  ['stdin_open', 'bool'],
  ['stop_grace_period', 'as-is', 'pointer'],
  ['stop_signal', 'string'],
  ['storage_opt', STRING_MAP],
  ['sysctls', STRING_MAP],
  ['tmpfs', STRINGS],
  ['tty', 'bool'],
  ['ulimits', { map: struct(['single', 'int'], ['soft', 'int'], ['hard', 'int']) }],
  ['use_api_socket', 'bool'],
  ['user', 'string'],
  ['userns_mode', 'string'],
  ['uts', 'string'],
  ['volume_driver', 'string'],
  ['volumes', { list: MOUNT }],
  ['volumes_from', STRINGS],
  ['working_dir', 'string'],
  ['post_start', { list: HOOK }],
  ['pre_stop', { list: HOOK }],
)

/** compose-go's `NetworkConfig`: what Compose v2 hashes into a network's config-hash label. */
export const NETWORK_SHAPE = struct(
  ['name', 'string'],
  ['driver', 'string'],
  ['driver_opts', STRING_MAP],
  [
    'ipam',
    struct(
      ['driver', 'string'],
      [
        'config',
        {
          list: struct(
            ['subnet', 'string'],
            ['gateway', 'string'],
            ['ip_range', 'string'],
            ['aux_addresses', STRING_MAP],
          ),
        },
      ],
    ),
    'always',
  ],
  ['external', 'bool'],
  ['internal', 'bool'],
  ['attachable', 'bool'],
  ['labels', STRING_MAP],
  ['enable_ipv4', 'bool', 'pointer'],
  ['enable_ipv6', 'bool', 'pointer'],
)

/** compose-go's `VolumeConfig`, likewise for a volume. */
export const VOLUME_SHAPE = struct(
  ['name', 'string'],
  ['driver', 'string'],
  ['driver_opts', STRING_MAP],
  ['external', 'bool'],
  ['labels', STRING_MAP],
)

/** The JSON Go writes for `value` read as `shape`. */
export function goJson(value: unknown, shape: Shape): string {
  if (value === null || value === undefined) return 'null'
  if (shape === 'string') return goString(String(value))
  if (shape === 'int') return String(Number(value))
  if (shape === 'bool') return value === true || value === 'true' ? 'true' : 'false'
  if (shape === 'float32') return float32Text(Number(value))
  if (shape === 'bytes') return goString(String(value))
  if (shape === 'as-is') return goValue(value)
  if ('list' in shape) return `[${(value as unknown[]).map((v) => goJson(v, shape.list)).join(',')}]`
  if ('map' in shape) {
    const keys = Object.keys(value).sort()
    return `{${keys.map((k) => `${goString(k)}:${goJson((value as Record<string, unknown>)[k], shape.map)}`).join(',')}}`
  }
  // A ulimit of one number, or a required env file, is written as that number or path; a ulimit
  // of 0 as its soft and hard limits, both 0 and so both left out (compose-go's MarshalJSON).
  if (typeof value !== 'object') return isZeroUlimit(value, shape) ? '{}' : goValue(value)
  const record = value as Record<string, unknown>
  // Go writes blkio's device fields capitalised (`Path`); the document has them in lower case.
  const at = (key: string) => record[key] ?? record[key.toLowerCase()]
  const written = shape.struct.filter(([key, fieldShape, presence = 'omit']) => {
    const v = at(key)
    if (presence === 'always') return true
    if (presence === 'pointer') return v !== undefined
    return !isEmpty(v, fieldShape)
  })
  return `{${written
    .map(([key, fieldShape, presence]) => {
      const v = at(key)
      const struct = typeof fieldShape === 'object' && 'struct' in fieldShape
      return `${goString(key)}:${presence === 'always' && struct && v === undefined ? goJson({}, fieldShape) : goJson(v, fieldShape)}`
    })
    .join(',')}}`
}

/**
 * `value` (a document of `shape`) without what Go's `omitempty` leaves out of it, at every depth:
 * a service as Compose v2 prints it, `cpu_count: 0`, `mem_limit: "0"` or `cpus: 0` left out (as
 * Go writes them, the same as unset) and a ulimit of 0 as `{}`. Keys the shape does not know stay.
 */
export function withoutEmpty(value: unknown, shape: Shape): unknown {
  if (isZeroUlimit(value, shape)) return {}
  if (value === null || typeof value !== 'object' || typeof shape !== 'object') return value
  if ('list' in shape) return Array.isArray(value) ? value.map((v) => withoutEmpty(v, shape.list)) : value
  if ('map' in shape) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutEmpty(v, shape.map)]))
  const fields = new Map(shape.struct.map((field) => [field[0], field]))
  return Object.fromEntries(
    Object.entries(value).flatMap(([key, v]) => {
      const field = fields.get(key)
      if (!field) return [[key, v]]
      const [, fieldShape, presence = 'omit'] = field
      return presence === 'omit' && isEmpty(v, fieldShape) ? [] : [[key, withoutEmpty(v, fieldShape)]]
    }),
  )
}

/** A ulimit of one number, 0: compose-go writes it as its struct, whose fields are then all left out. */
function isZeroUlimit(value: unknown, shape: Shape): boolean {
  return value === 0 && typeof shape === 'object' && 'struct' in shape && shape.struct.some(([k]) => k === 'single')
}

/** What `omitempty` leaves out: false, 0, "", and an empty list or map. */
function isEmpty(value: unknown, shape: Shape): boolean {
  if (value === undefined || value === null || value === false || value === '') return true
  if (shape === 'int' || shape === 'float32' || shape === 'bytes') return Number(value) === 0
  if (Array.isArray(value)) return value.length === 0
  if (typeof value === 'object') return Object.keys(value).length === 0
  return false
}

/** A value with no shape of its own: maps sorted, as Go writes a `map[string]any`. */
function goValue(value: unknown): string {
  if (value === null || value === undefined) return 'null'
  if (typeof value === 'string') return goString(value)
  if (typeof value !== 'object') return String(value)
  if (Array.isArray(value)) return `[${value.map(goValue).join(',')}]`
  const keys = Object.keys(value).sort()
  return `{${keys.map((k) => `${goString(k)}:${goValue((value as Record<string, unknown>)[k])}`).join(',')}}`
}

/** A string as Go's encoder writes it: as JSON does, and `<`, `>`, `&`, U+2028 and U+2029 escaped. */
function goString(text: string): string {
  return JSON.stringify(text).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
}

/** The shortest decimal that reads back as the same float32, as Go writes a float32. */
function float32Text(n: number): string {
  const f = Math.fround(n)
  for (let digits = 1; digits <= 9; digits++) {
    const text = Number(f.toPrecision(digits))
    if (Math.fround(text) === f) return String(text)
  }
  return String(f)
}
