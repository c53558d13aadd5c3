/**
 * compose-go 2.9's structs (the ones Compose 2.40 is built with) as shapes: each field's key in
 * its declared order, its type, and whether `omitempty` leaves it out. Go's writers follow them:
 * the config hash's JSON (`go-json.ts`) and `config`'s text (`config-text.ts`).
 */

/** How Go writes one value: its type, and for a struct field whether `omitempty` can leave it out. */
export type Shape =
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
  | StructShape

/** A struct's fields, in their declared order. */
export interface StructShape {
  readonly struct: readonly Field[]
}

/**
 * `omit`: `omitempty` on a value type, left out when zero or empty; `pointer`: left out only
 * when absent; `always`: no `omitempty` (absent lists are written `null`), or a struct value,
 * which `omitempty` never leaves out.
 */
type Field = readonly [key: string, shape: Shape, presence?: 'omit' | 'pointer' | 'always']

const STRINGS: Shape = { list: 'string' }
const STRING_MAP: Shape = { map: 'string' }

const struct = (...fields: Field[]): StructShape => ({ struct: fields })

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

const ULIMIT = struct(['single', 'int'], ['soft', 'int'], ['hard', 'int'])

/** `BuildConfig`: `ssh` and `extra_hosts` are written as lists of strings. */
const BUILD = struct(
  ['context', 'string'],
  ['dockerfile', 'string'],
  ['dockerfile_inline', 'string'],
  ['entitlements', STRINGS],
  ['args', STRING_MAP],
  ['provenance', 'string'],
  ['sbom', 'string'],
  ['ssh', STRINGS],
  ['labels', STRING_MAP],
  ['cache_from', STRINGS],
  ['cache_to', STRINGS],
  ['no_cache', 'bool'],
  ['additional_contexts', STRING_MAP],
  ['pull', 'bool'],
  ['extra_hosts', STRINGS],
  ['isolation', 'string'],
  ['network', 'string'],
  ['target', 'string'],
  ['secrets', { list: FILE_REFERENCE }],
  ['shm_size', 'bytes'],
  ['tags', STRINGS],
  ['ulimits', { map: ULIMIT }],
  ['platforms', STRINGS],
  ['privileged', 'bool'],
)

const DEPENDENCY = struct(['condition', 'string'], ['restart', 'bool'], ['required', 'bool', 'always'])

/** compose-go's `ServiceConfig`, in its declared order. */
export const SERVICE_SHAPE = struct(
  ['profiles', STRINGS],
  ['annotations', STRING_MAP],
  ['attach', 'bool', 'pointer'],
  ['build', BUILD, 'pointer'],
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
  ['depends_on', { map: DEPENDENCY }],
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
  ['ulimits', { map: ULIMIT }],
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

/** compose-go's `FileObjectConfig`: a top-level secret or config. */
export const FILE_OBJECT_SHAPE = struct(
  ['name', 'string'],
  ['file', 'string'],
  ['environment', 'string'],
  ['content', 'string'],
  ['external', 'bool'],
  ['labels', STRING_MAP],
  ['driver', 'string'],
  ['driver_opts', STRING_MAP],
  ['template_driver', 'string'],
)

/** compose-go's `ModelConfig`: a top-level model. */
export const MODEL_SHAPE = struct(
  ['name', 'string'],
  ['model', 'string'],
  ['context_size', 'int'],
  ['runtime_flags', STRINGS],
)

/** compose-go's `Project` as its YAML writer has it: a struct, its extensions after its fields. */
export const PROJECT_SHAPE = struct(
  ['name', 'string'],
  ['services', { map: SERVICE_SHAPE }],
  ['networks', { map: NETWORK_SHAPE }],
  ['volumes', { map: VOLUME_SHAPE }],
  ['secrets', { map: FILE_OBJECT_SHAPE }],
  ['configs', { map: FILE_OBJECT_SHAPE }],
  ['models', { map: MODEL_SHAPE }],
)

/** compose-go's `template.Variable`, which `config --variables` writes (its fields have no tags). */
export const VARIABLE_SHAPE = struct(
  ['Name', 'string', 'always'],
  ['DefaultValue', 'string', 'always'],
  ['PresenceValue', 'string', 'always'],
  ['Required', 'bool', 'always'],
)
