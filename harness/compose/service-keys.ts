/** Which service keys the Compose Specification defines, and which of them the harness applies. */

export const APPLIED_SERVICE_KEYS: ReadonlySet<string> = new Set([
  'build', 'command', 'depends_on', 'entrypoint', 'environment', 'expose', 'image', 'links',
])

/** In the specification, but not applied yet: the harness refuses them rather than ignore them. */
export const PENDING_SERVICE_KEYS: ReadonlySet<string> = new Set([
  'annotations', 'attach', 'blkio_config', 'cap_add', 'cap_drop', 'cgroup', 'cgroup_parent', 'configs',
  'container_name', 'cpu_count', 'cpu_percent', 'cpu_period', 'cpu_quota', 'cpu_rt_period',
  'cpu_rt_runtime', 'cpu_shares', 'cpus', 'cpuset', 'credential_spec', 'deploy', 'develop',
  'device_cgroup_rules', 'devices', 'dns', 'dns_opt', 'dns_search', 'domainname', 'env_file',
  'extends', 'external_links', 'extra_hosts', 'gpus', 'group_add', 'healthcheck', 'hostname', 'init',
  'ipc', 'isolation', 'label_file', 'labels', 'logging', 'mac_address', 'mem_limit',
  'mem_reservation', 'mem_swappiness', 'memswap_limit', 'models', 'network_mode', 'networks',
  'oom_kill_disable', 'oom_score_adj', 'pid', 'pids_limit', 'platform', 'ports', 'post_start',
  'pre_stop', 'privileged', 'profiles', 'provider', 'pull_policy', 'read_only', 'restart', 'runtime',
  'scale', 'secrets', 'security_opt', 'shm_size', 'stdin_open', 'stop_grace_period', 'stop_signal',
  'storage_opt', 'sysctls', 'tmpfs', 'tty', 'ulimits', 'use_api_socket', 'user', 'userns_mode', 'uts',
  'volumes', 'volumes_from', 'working_dir',
])

export const TOP_LEVEL_KEYS: ReadonlySet<string> = new Set([
  'version', 'name', 'services', 'networks', 'volumes', 'configs', 'secrets', 'include', 'models',
])
/** Top-level sections the harness does not apply yet; an empty one is accepted. */
export const PENDING_TOP_LEVEL_KEYS: ReadonlySet<string> = new Set([
  'networks', 'volumes', 'configs', 'secrets', 'include', 'models',
])
