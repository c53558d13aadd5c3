import { createRequire } from 'node:module'
import { isAbsolute, posix, relative, sep } from 'node:path'
import type { ComposeProject } from '../../model/project/types.js'
import { isMapping } from '../../model/document/values.js'

const dockerignore = createRequire(import.meta.url)(
  '@balena/dockerignore',
) as typeof import('@balena/dockerignore').default

/** What a watch rule does when a file under its path changes (`develop.watch[].action`). */
export type WatchAction = 'sync' | 'rebuild' | 'restart' | 'sync+restart' | 'sync+exec'

/**
 * The actions Compose v2's watch counts as syncs before it watches (`isSync`): a rule of these is
 * synced first when it asks, and is left out when a bind mount already brings its path in.
 * `sync+exec` is not one of them.
 */
export function syncsFirst(action: WatchAction): boolean {
  return action === 'sync' || action === 'sync+restart'
}

/** The command `sync+exec` runs in each of the service's containers once its files are synced. */
export interface WatchExec {
  readonly command: readonly string[]
  readonly user?: string
  readonly workingDir?: string
  readonly privileged?: boolean
  /** Its variables; a name without a value (undefined) takes its value from where the watch runs. */
  readonly environment: Readonly<Record<string, string | undefined>>
}

/** One `develop.watch` rule of a service, with what decides which changes it takes. */
export interface WatchRule {
  readonly service: string
  readonly action: WatchAction
  /** Absolute, on this machine. */
  readonly path: string
  /** Where a synced file goes in the container (the path's relative part under it). */
  readonly target?: string
  /** `initial_sync`, or the `x-initialSync` that came before it (`deprecatedInitialSync`, said as v2 says it). */
  readonly initialSync: boolean
  readonly deprecatedInitialSync?: true
  readonly exec?: WatchExec
  /** Whether a changed path is left out: the rule's `ignore`, the build's `.dockerignore`, `.git/` and editors' temporary files. */
  readonly ignored: (hostPath: string) => boolean
  /** Whether a changed path is taken (`include`; all when the rule has none). */
  readonly included: (hostPath: string) => boolean
}

/** A changed file of this machine and where a sync puts it in the container. */
export interface PathMapping {
  readonly hostPath: string
  readonly containerPath: string
}

/** What one batch of changes asks for, by service: as Compose v2 groups it. */
export interface WatchBatchPlan {
  readonly rebuild: readonly string[]
  readonly sync: ReadonlyMap<string, readonly PathMapping[]>
  readonly restart: readonly string[]
  /** The rules whose command runs, each once, after the sync. */
  readonly exec: ReadonlyMap<string, readonly WatchRule[]>
}

// Editors' temporary files, as Compose v2 leaves them out (pkg/watch/ephemeral.go). (v2's `.git/`
// pattern is made absolute from `/`: it leaves out `/.git` only, and so does the harness, by never
// watching it.)
const EPHEMERAL = [
  '**/*___jb_old___',
  '**/*___jb_tmp___',
  '**/.idea/**',
  '**/.#*',
  '**/#*#',
  '**/4913',
  '**/*~',
  '**/.*.swp',
  '**/.*.swx',
  '**/.*.swo',
  '**/.*.swn',
  '**/.*.kate-swp',
  '**/*-go-tmp-umask',
]

/**
 * A matcher of `.dockerignore`-style patterns written relative to `root`: a path matches when it or
 * a directory above it does. As Compose v2's watch reads them, a `*` among them drops every other
 * pattern but the exclusions (`!name`).
 */
export function patternMatcher(root: string, given: readonly string[]): (hostPath: string) => boolean {
  const patterns = given.includes('*') ? given.filter((p) => p.startsWith('!')) : given
  if (patterns.length === 0) return () => false
  const matcher = dockerignore({ ignorecase: false }).add([...patterns])
  return (hostPath) => {
    const rel = relative(root, hostPath)
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return false
    return matcher.ignores(rel.split(sep).join('/'))
  }
}

/**
 * Pure: the watch rules of `services` (all when none is named), from their `develop.watch` as the
 * model keeps it (paths absolute). `dockerignoreOf` gives the patterns of a service's build
 * context (`NAME.dockerignore` of its Dockerfile, else `.dockerignore`), which its rules leave out too.
 */
export function watchRulesOf(
  project: ComposeProject,
  services: readonly string[],
  dockerignoreOf: (service: string) => { readonly root: string; readonly patterns: readonly string[] } | undefined,
): WatchRule[] {
  const ephemeral = patternMatcher('/', EPHEMERAL)
  return Object.values(project.services)
    .filter((s) => services.length === 0 || services.includes(s.name))
    .flatMap((service) => {
      const develop = service.extras.develop
      const watch = isMapping(develop) && Array.isArray(develop.watch) ? develop.watch : []
      const ignores = dockerignoreOf(service.name)
      const contextIgnored = ignores ? patternMatcher(ignores.root, ignores.patterns) : () => false
      return watch.filter(isMapping).map((rule): WatchRule => {
        const path = String(rule.path)
        const own = patternMatcher(path, strings(rule.ignore))
        const include = strings(rule.include)
        const included = include.length === 0 ? () => true : patternMatcher(path, include)
        return {
          service: service.name,
          action: rule.action as WatchAction,
          path,
          ...(typeof rule.target === 'string' && { target: rule.target }),
          initialSync: rule.initial_sync === true || rule['x-initialSync'] === true,
          ...(rule.initial_sync !== true && rule['x-initialSync'] === true && { deprecatedInitialSync: true }),
          ...(isMapping(rule.exec) && { exec: execOf(rule.exec) }),
          ignored: (p) => contextIgnored(p) || ephemeral(p) || own(p),
          included,
        }
      })
    })
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : []
}

function execOf(exec: Record<string, unknown>): WatchExec {
  const { environment } = exec
  const scalar = (v: unknown): string | undefined =>
    typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined
  return {
    command: Array.isArray(exec.command) ? exec.command.map(String) : [],
    ...(typeof exec.user === 'string' && { user: exec.user }),
    ...(typeof exec.working_dir === 'string' && { workingDir: exec.working_dir }),
    ...(exec.privileged === true && { privileged: true }),
    environment: Array.isArray(environment)
      ? Object.fromEntries(
          environment.map(String).map((e) => {
            const at = e.indexOf('=')
            return at < 0 ? [e, undefined] : [e.slice(0, at), e.slice(at + 1)]
          }),
        )
      : isMapping(environment)
        ? Object.fromEntries(Object.entries(environment).map(([k, v]) => [k, scalar(v)]))
        : {},
  }
}

/** Whether `hostPath` is `root` or under it. */
function within(root: string, hostPath: string): boolean {
  const rel = relative(root, hostPath)
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))
}

/** Where `rule` puts `hostPath` in the container, or undefined when the rule does not take that change. */
export function ruleMapping(rule: WatchRule, hostPath: string): PathMapping | undefined {
  if (!within(rule.path, hostPath) || !rule.included(hostPath) || rule.ignored(hostPath)) return undefined
  const rel = relative(rule.path, hostPath).split(sep).join('/')
  return { hostPath, containerPath: rule.target === undefined ? '' : posix.join(rule.target, rel) }
}

/** Pure: what a batch of changed paths asks of each service, as Compose v2's `handleWatchBatch` decides it. */
export function planWatchBatch(rules: readonly WatchRule[], changed: readonly string[]): WatchBatchPlan {
  const rebuild = new Set<string>()
  const restart = new Set<string>()
  const sync = new Map<string, PathMapping[]>()
  const exec = new Map<string, WatchRule[]>()
  const add = <T>(map: Map<string, T[]>, key: string, value: T): void => {
    const list = map.get(key) ?? []
    if (!list.includes(value)) map.set(key, [...list, value])
  }
  for (const hostPath of changed)
    for (const rule of rules) {
      const mapping = ruleMapping(rule, hostPath)
      if (!mapping) continue
      if (rule.action === 'rebuild') rebuild.add(rule.service)
      if (rule.action === 'restart' || rule.action === 'sync+restart') restart.add(rule.service)
      if (rule.action.startsWith('sync')) add(sync, rule.service, mapping)
      if (rule.action === 'sync+exec') add(exec, rule.service, rule)
    }
  return { rebuild: [...rebuild], sync, restart: [...restart], exec }
}
