/** The keys the Compose Specification defines, at the top level and in a service. */

export const SERVICE_KEYS: ReadonlySet<string> = new Set([
  'annotations', 'attach', 'blkio_config', 'build', 'cap_add', 'cap_drop', 'cgroup', 'cgroup_parent',
  'command', 'configs', 'container_name', 'cpu_count', 'cpu_percent', 'cpu_period', 'cpu_quota',
  'cpu_rt_period', 'cpu_rt_runtime', 'cpu_shares', 'cpus', 'cpuset', 'credential_spec', 'depends_on',
  'deploy', 'develop', 'device_cgroup_rules', 'devices', 'dns', 'dns_opt', 'dns_search', 'domainname',
  'entrypoint', 'env_file', 'environment', 'expose', 'extends', 'external_links', 'extra_hosts', 'gpus',
  'group_add', 'healthcheck', 'hostname', 'image', 'init', 'ipc', 'isolation', 'label_file', 'labels',
  'links', 'logging', 'mac_address', 'mem_limit', 'mem_reservation', 'mem_swappiness', 'memswap_limit',
  'models', 'network_mode', 'networks', 'oom_kill_disable', 'oom_score_adj', 'pid', 'pids_limit',
  'platform', 'ports', 'post_start', 'pre_stop', 'privileged', 'profiles', 'provider', 'pull_policy',
  'read_only', 'restart', 'runtime', 'scale', 'secrets', 'security_opt', 'shm_size', 'stdin_open',
  'stop_grace_period', 'stop_signal', 'storage_opt', 'sysctls', 'tmpfs', 'tty', 'ulimits',
  'use_api_socket', 'user', 'userns_mode', 'uts', 'volumes', 'volumes_from', 'working_dir',
])

/** Service keys that normalization reads into typed fields; the others stay in `extras` as written. */
export const MODELLED_SERVICE_KEYS: ReadonlySet<string> = new Set([
  'build', 'command', 'container_name', 'depends_on', 'deploy', 'entrypoint', 'env_file', 'environment',
  'expose', 'extra_hosts', 'healthcheck', 'hostname', 'image', 'init', 'labels', 'links', 'network_mode',
  'networks', 'ports', 'profiles', 'restart', 'scale', 'stop_grace_period', 'stop_signal', 'tmpfs',
  'user', 'volumes', 'volumes_from', 'working_dir',
])

export const TOP_LEVEL_KEYS: ReadonlySet<string> = new Set([
  'version', 'name', 'services', 'networks', 'volumes', 'configs', 'secrets', 'include', 'models',
])
