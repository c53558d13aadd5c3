import { describe, isScalar } from '../document/describe.js'
import {
  readBoolean,
  readDurationMs,
  readInteger,
  readFields,
  readKeyValues,
  readList,
  readMapping,
  readString,
  type FieldContext,
  type FieldTable,
} from './readers.js'
import { readCommand } from './service-fields.js'
import { isMapping } from '../document/values.js'
import type { HookSpec, PullPolicy, RestartPolicy, RunSettings } from '../project/types.js'
import type { YamlPath } from '../document/where.js'
import type { ServiceKeysRead } from '../project/service-keys.js'

/** The pull policies Compose v2 (2.26, the reference) accepts. */
export const PULL_POLICIES: readonly PullPolicy[] = ['always', 'never', 'missing', 'if_not_present', 'build']

/**
 * The service keys that say how its container is brought up rather than what it is: the image's
 * platform and pull policy, whether `up` attaches to its output, and the commands run in it after
 * it starts and before it stops. Each is kept as written too, for `config`.
 */
const RUN_KEYS: { readonly [K in ServiceKeysRead<'run'>]: FieldTable<RunSettings>[string] } = {
  platform: ['platform', readString],
  pull_policy: ['pullPolicy', readPullPolicy],
  attach: ['attach', readBoolean],
  post_start: ['postStart', readHooks],
  pre_stop: ['preStop', readHooks],
  pre_start: ['preStart', (v, p, c) => readHooks(v, p, c, true)],
}

export function readRunSettings(raw: Record<string, unknown>, path: YamlPath, ctx: FieldContext): RunSettings {
  const settings = readFields(raw, RUN_KEYS, path, ctx)
  const deploy = isMapping(raw.deploy) ? raw.deploy : {}
  if (deploy.restart_policy == null) return settings
  const restart = readDeployRestart(deploy.restart_policy, [...path, 'deploy', 'restart_policy'], ctx)
  return { ...settings, ...(restart && { deployRestart: restart }) }
}

/** What Compose v2 calls a `deploy.restart_policy` condition, as the engine's policy. */
const CONDITIONS: Readonly<Record<string, string>> = {
  none: 'no',
  no: 'no',
  'on-failure': 'on-failure',
  'unless-stopped': 'unless-stopped',
  any: 'always',
  always: 'always',
}

/**
 * `deploy.restart_policy`, which Compose v2 applies outside Swarm too, over `restart`: its
 * condition (`any` when absent, as in Swarm) and `max_attempts`; `delay` and `window` are Swarm's.
 */
function readDeployRestart(value: unknown, path: YamlPath, ctx: FieldContext): RestartPolicy | undefined {
  const r = readMapping(value, path, ctx, ['condition', 'delay', 'max_attempts', 'window'])
  const condition = r.condition == null ? 'any' : readString(r.condition, [...path, 'condition'], ctx)
  const attempts = r.max_attempts == null ? undefined : readInteger(r.max_attempts, [...path, 'max_attempts'], ctx)
  for (const key of ['delay', 'window']) if (r[key] != null) readDurationMs(r[key], [...path, key], ctx)
  if (condition === undefined) return undefined
  const policy = CONDITIONS[condition]
  if (policy === undefined) {
    ctx.problems.add([...path, 'condition'], `expected none, on-failure or any, got ${describe(condition)}`)
    return undefined
  }
  return (policy === 'on-failure' && attempts ? `on-failure:${attempts}` : policy) as RestartPolicy
}

function readPullPolicy(value: unknown, path: YamlPath, ctx: FieldContext): PullPolicy | undefined {
  if (typeof value === 'string' && (PULL_POLICIES as readonly string[]).includes(value)) return value as PullPolicy
  ctx.problems.add(path, `expected one of ${PULL_POLICIES.join(', ')}, got ${describe(value)}`)
  return undefined
}

/**
 * A list of `{command, user, privileged, working_dir, environment}` (and for `pre_start`, which runs
 * in a container of its own, `image` and `per_replica`); `command` as a string is split as a shell
 * would. A hook without a command loads, as in Compose v2; `up` refuses it, but for `pre_start`,
 * whose image may run what it runs by itself.
 */
function readHooks(value: unknown, path: YamlPath, ctx: FieldContext, ownContainer = false): HookSpec[] {
  const keys = ['command', 'user', 'privileged', 'working_dir', 'environment']
  return readList(value, path, ctx).flatMap((item, i): HookSpec[] => {
    const at = [...path, i]
    const hook = readMapping(item, at, ctx, ownContainer ? [...keys, 'image', 'per_replica'] : keys)
    const text = (key: string) => (hook[key] == null ? undefined : readString(hook[key], [...at, key], ctx))
    const command = hook.command == null ? undefined : readCommand(hook.command, [...at, 'command'], ctx)
    const spec = {
      command: command ?? [],
      user: text('user'),
      privileged: hook.privileged == null ? undefined : readBoolean(hook.privileged, [...at, 'privileged'], ctx),
      workingDir: text('working_dir'),
      environment: hook.environment == null ? {} : readKeyValues(hook.environment, [...at, 'environment'], ctx),
      image: text('image') || undefined,
      perReplica: hook.per_replica == null ? undefined : readBoolean(hook.per_replica, [...at, 'per_replica'], ctx),
    }
    return [Object.fromEntries(Object.entries(spec).filter(([, v]) => v !== undefined)) as unknown as HookSpec]
  })
}

/** `provider: {type, options}`: the plugin that runs the service, and its options (scalars or lists of them). */
export function readProvider(value: unknown, path: YamlPath, ctx: FieldContext): void {
  const p = readMapping(value, path, ctx, ['type', 'options'])
  if (p.type === undefined) ctx.problems.add(path, 'a provider needs `type`, the plugin that runs the service')
  else readString(p.type, [...path, 'type'], ctx)
  if (p.options == null) return
  if (!isMapping(p.options))
    return void ctx.problems.add([...path, 'options'], `expected a mapping, got ${describe(p.options)}`)
  for (const [key, option] of Object.entries(p.options)) {
    const ok = isScalar(option) || (Array.isArray(option) && option.every(isScalar))
    if (!ok)
      ctx.problems.add(
        [...path, 'options', key],
        `expected a string, number, boolean or a list of them, got ${describe(option)}`,
      )
  }
}
