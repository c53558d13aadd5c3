import { describe } from '../document/describe.js'
import { readBoolean, readDurationMs, readInteger, readMapping, type FieldContext } from './readers.js'
import type { HealthcheckSpec, RestartPolicy } from '../project/types.js'
import type { YamlPath } from '../document/where.js'

/** `test` as a string (shell form), a list starting with CMD, CMD-SHELL or NONE; `disable: true`; durations. */
export function readHealthcheck(value: unknown, path: YamlPath, ctx: FieldContext): HealthcheckSpec | undefined {
  const h = readMapping(value, path, ctx, [
    'test',
    'interval',
    'timeout',
    'retries',
    'start_period',
    'start_interval',
    'disable',
  ])
  const disabled = h.disable === undefined ? false : readBoolean(h.disable, [...path, 'disable'], ctx)
  const test = disabled ? ['NONE'] : readTest(h.test, [...path, 'test'], ctx)
  const duration = (key: string): number | undefined =>
    h[key] === undefined ? undefined : readDurationMs(h[key], [...path, key], ctx)
  const spec = {
    test,
    disable: disabled || undefined,
    intervalMs: duration('interval'),
    timeoutMs: duration('timeout'),
    startPeriodMs: duration('start_period'),
    startIntervalMs: duration('start_interval'),
    retries: h.retries === undefined ? undefined : readInteger(h.retries, [...path, 'retries'], ctx),
  }
  if (!test) return undefined
  return Object.fromEntries(Object.entries(spec).filter(([, v]) => v !== undefined)) as unknown as HealthcheckSpec
}

function readTest(value: unknown, path: YamlPath, ctx: FieldContext): string[] | undefined {
  if (value === undefined) {
    ctx.problems.add(path, 'a healthcheck needs a test (or disable: true)')
    return undefined
  }
  if (typeof value === 'string') return ['CMD-SHELL', value]
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
    const [kind, ...rest] = value
    if (kind === 'NONE' && rest.length === 0) return ['NONE']
    // CMD-SHELL with more than one word is loaded as written, as Compose v2 loads it.
    if ((kind === 'CMD' || kind === 'CMD-SHELL') && rest.length > 0) return value
  }
  ctx.problems.add(
    path,
    `expected a string, ["CMD", args…], ["CMD-SHELL", "script"] or ["NONE"], got ${describe(value)}`,
  )
  return undefined
}

export function readRestart(value: unknown, path: YamlPath, ctx: FieldContext): RestartPolicy | undefined {
  if (typeof value === 'string' && /^(no|always|unless-stopped|on-failure(:\d+)?)$/.test(value))
    return value as RestartPolicy
  ctx.problems.add(path, `expected no, always, on-failure[:max-retries] or unless-stopped, got ${describe(value)}`)
  return undefined
}

/** `scale` and `deploy.replicas` are two names for one number; they must agree when both are set. */
export function readReplicas(scale: unknown, deploy: unknown, path: YamlPath, ctx: FieldContext): number {
  const fromScale = scale === undefined ? undefined : readInteger(scale, [...path, 'scale'], ctx)
  const d =
    deploy === undefined
      ? {}
      : readMapping(deploy, [...path, 'deploy'], ctx, [
          'replicas',
          'mode',
          'resources',
          'restart_policy',
          'labels',
          'placement',
          'update_config',
          'rollback_config',
          'endpoint_mode',
        ])
  const fromDeploy =
    d.replicas === undefined ? undefined : readInteger(d.replicas, [...path, 'deploy', 'replicas'], ctx)
  if (fromScale !== undefined && fromDeploy !== undefined && fromScale !== fromDeploy) {
    ctx.problems.add(
      [...path, 'scale'],
      `is ${fromScale} but deploy.replicas is ${fromDeploy}: set one, or the same number in both`,
    )
  }
  return fromScale ?? fromDeploy ?? 1
}
