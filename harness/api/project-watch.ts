import { readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { ignoreFileOf } from '../runtime/images/build-images.js'
import { PassThrough } from 'node:stream'
import type { ComposeProject } from '../model/project/types.js'
import type { LoadedCompose } from '../model/pipeline/load.js'
import { withDependencies } from '../model/project/graph.js'
import type { Engine } from '../runtime/engine/engine.js'
import { SettingError } from '../runtime/engine/runtime-errors.js'
import { execStreaming } from '../runtime/container/exec-stream.js'
import { watchFiles } from '../runtime/watch/file-watcher.js'
import { listFiles, syncFiles } from '../runtime/watch/sync-files.js'
import {
  planWatchBatch,
  ruleMapping,
  syncsFirst,
  watchRulesOf,
  type WatchBatchPlan,
  type WatchRule,
} from '../runtime/watch/watch-rules.js'

/** What `watch()` is asked: which services, and where it says what it does. */
export interface WatchOptions {
  /** Only these services' rules (all services with a `develop.watch` when none is named). */
  readonly services?: readonly string[]
  /** Each thing the watch does, in Compose v2's words: `Watch enabled`, `Syncing service "app" after 2 changes were detected`, … */
  readonly onLog?: (line: string) => void
  /** Each batch of changes once it has been carried out (or has failed: `error`), for a test to wait on. */
  readonly onBatch?: (plan: WatchBatchPlan, error?: unknown) => void
  /** Where the output of a `sync+exec` command goes (nowhere by default). */
  readonly output?: NodeJS.WritableStream
  /** After a rebuild, remove the project's images it left without a tag (true by default, as `watch --prune`). */
  readonly prune?: boolean
}

/** A running watch: `stop()` (or leaving an `await using` block) ends it. */
export interface ProjectWatch extends AsyncDisposable {
  stop(): Promise<void>
}

/** What the watch acts on: the project's running containers, and the project actions it asks for. */
export interface WatchTarget {
  readonly engine: Engine
  readonly project: ComposeProject
  /** The IDs of the running containers of `service`. */
  containersOf(service: string): Promise<string[]>
  restart(services: readonly string[]): Promise<void>
  /** Builds the services' images and recreates their containers, as `watch` does on a `rebuild` rule; with `prune`, removes the images left untagged. */
  rebuild(services: readonly string[], prune: boolean): Promise<void>
}

/** Go's `%q` of a list of names, as Compose v2 writes them in its watch messages: `["app" "web"]`. */
const quoted = (names: readonly string[]): string => `[${names.map((n) => JSON.stringify(n)).join(' ')}]`

/**
 * Runs the services' `develop.watch` rules on real changes of their paths, as Compose v2's watch
 * does: a batch of changes (after a quiet period) rebuilds, then syncs, then restarts, then runs
 * the `sync+exec` commands; `initial_sync` rules sync their files first. A batch that fails is
 * said, and the watch goes on.
 */
export async function watchProject(target: WatchTarget, options: WatchOptions = {}): Promise<ProjectWatch> {
  const log = options.onLog ?? (() => {})
  const rules = usableRules(target.project, options.services ?? [], log)
  if (rules.length === 0)
    throw new SettingError(
      "none of the selected services is configured for watch, consider setting a 'develop' section",
    )
  for (const rule of rules) {
    if (rule.deprecatedInitialSync)
      log('WARN x-initialSync is DEPRECATED, please use the official `initial_sync` attribute')
    if (!rule.initialSync || !syncsFirst(rule.action)) continue
    // Each file the rule takes, one by one: a directory's archive would carry what the rule ignores.
    const files = listFiles(rule.path)
      .map((rel) => join(rule.path, rel))
      .filter((p) => !statSync(p).isDirectory())
    const mappings = (files.length > 0 ? files : [rule.path]).flatMap((p) => ruleMapping(rule, p) ?? [])
    await syncFiles(target.engine, await target.containersOf(rule.service), mappings)
  }
  let queue = Promise.resolve()
  const watch = watchFiles(
    rules.map((r) => r.path),
    (changed) => {
      queue = queue.then(() => handleBatch(target, rules, changed, options, log))
    },
    (error) => log(`Watch disabled with errors: ${error.message}`),
  )
  log('Watch enabled')
  const stop = async (): Promise<void> => {
    watch.close()
    await queue
    log('Watch disabled')
  }
  return { stop, [Symbol.asyncDispose]: stop }
}

/**
 * Refuses `up --watch` before anything starts when none of `services` (with what they depend on; all
 * when none is named) has `develop.watch` rules, in Compose v2's words.
 */
export function checkWatchable(loaded: LoadedCompose, services: readonly string[]): void {
  const selected =
    services.length === 0
      ? Object.keys(loaded.project.services)
      : withDependencies(services, (s) => loaded.plan.dependencies.get(s) ?? [])
  if (watchRulesOf(loaded.project, selected, () => undefined).length === 0)
    throw new SettingError(
      'none of the selected services is configured for watch, see https://docs.docker.com/compose/how-tos/file-watch/',
    )
}

/** The rules of the services, without the sync rules whose path a bind mount of the service already brings in (said, as v2 says it). */
function usableRules(project: ComposeProject, services: readonly string[], log: (line: string) => void): WatchRule[] {
  const rules = watchRulesOf(project, services, (service) => dockerignoreOf(project, service))
  return rules.filter((rule) => {
    const spec = project.services[rule.service]!
    if (rule.action === 'rebuild' && !spec.build)
      throw new SettingError(`can't watch service "${rule.service}" with action rebuild without a build context`)
    const mounted = spec.volumes.some((m) => m.type === 'bind' && m.source && rule.path.startsWith(m.source))
    if (mounted && syncsFirst(rule.action)) {
      log(`WARN path '${rule.path}' also declared by a bind mount volume, this path won't be monitored!`)
      return false
    }
    return true
  })
}

/** The patterns of a service's build context that its rules leave out: `NAME.dockerignore` of its Dockerfile, else `.dockerignore`. */
function dockerignoreOf(project: ComposeProject, service: string) {
  const build = project.services[service]?.build
  if (!build || /^[a-z]+:\/\//.test(build.context)) return undefined
  const file = ignoreFileOf(build.context, resolve(build.context, build.dockerfile))
  const patterns = file
    ? readFileSync(file, 'utf8')
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== '' && !l.startsWith('#'))
    : []
  return { root: build.context, patterns }
}

/** Carries out one batch: rebuilds, syncs, restarts, then the commands, as Compose v2 orders them. */
async function handleBatch(
  target: WatchTarget,
  rules: readonly WatchRule[],
  changed: readonly string[],
  options: WatchOptions,
  log: (line: string) => void,
): Promise<void> {
  const plan = planWatchBatch(rules, changed)
  try {
    if (plan.rebuild.length > 0) {
      log(`Rebuilding service(s) ${quoted(plan.rebuild)} after changes were detected...`)
      await target.rebuild(plan.rebuild, options.prune !== false)
      log(`service(s) ${quoted(plan.rebuild)} successfully built`)
    }
    for (const [service, mappings] of plan.sync) {
      log(`Syncing service ${JSON.stringify(service)} after ${mappings.length} changes were detected`)
      await syncFiles(target.engine, await target.containersOf(service), mappings)
    }
    if (plan.restart.length > 0) {
      await target.restart(plan.restart)
      log(`service(s) ${quoted(plan.restart)} restarted`)
    }
    await Promise.all(
      [...plan.exec].flatMap(([service, execRules]) =>
        execRules.map(async (rule) => {
          for (const id of await target.containersOf(service)) await runExec(target.engine, id, rule, options.output)
        }),
      ),
    )
    options.onBatch?.(plan)
  } catch (error) {
    log(`WARN Error handling changed files: ${(error as Error).message}`)
    options.onBatch?.(plan, error)
  }
}

async function runExec(engine: Engine, id: string, rule: WatchRule, output?: NodeJS.WritableStream): Promise<void> {
  const exec = rule.exec!
  const sink = output ?? new PassThrough().resume()
  // A name without a value takes its value here, as `exec -e NAME` does.
  const env = Object.fromEntries(
    Object.entries(exec.environment).map(([name, value]) => [name, value ?? process.env[name] ?? '']),
  )
  await execStreaming(engine, id, exec.command, sink, sink, {
    env,
    ...(exec.user !== undefined && { user: exec.user }),
    ...(exec.workingDir !== undefined && { workingDir: exec.workingDir }),
    ...(exec.privileged && { privileged: true }),
  })
}
