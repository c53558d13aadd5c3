import type { LoadedCompose } from '../model/pipeline/load.js'
import type { OnProgress } from '../runtime/engine/progress-events.js'
import { refuseUnapplied, upWarnings } from '../runtime/create/applied-keys.js'
import { buildImages, type BuildEvent, type BuildPolicy } from '../runtime/images/build-images.js'
import type { ConvergeEvent } from '../runtime/up/converge-options.js'
import { connectEngine, type Engine } from '../runtime/engine/engine.js'
import { refuseBeyondEngine } from '../runtime/create/engine-limits.js'
import {
  createOneOff,
  runAttached,
  startOneOff,
  waitForDependencies,
  type OneOffContainer,
  type OneOffOptions,
} from '../runtime/up/one-off.js'
import { ensureResources } from '../runtime/create/project-resources.js'
import { groupByService, listProjectContainers } from '../runtime/project/project-containers.js'
import { handleOrphans } from '../runtime/up/orphans.js'
import { pullImages, type PullOverride } from '../runtime/images/pull-images.js'
import { DEFAULT_READY_TIMEOUT_MS } from '../runtime/container/readiness.js'
import { Reaper, reaperEnabled } from '../runtime/reaper/reaper.js'
import { removeContainer } from '../runtime/engine/remove.js'

/** `run`'s options: how the one-off container differs from the service's, and how it is run. */
export interface RunOptions extends OneOffOptions {
  /** Leave the services it depends on as they are (`--no-deps`); they are brought up, as by `up -d`, otherwise. */
  readonly noDeps?: boolean
  /** What the `up` of the services it depends on does with containers of services the files no longer have, as `UpOptions` says. */
  readonly removeOrphans?: boolean
  readonly ignoreOrphans?: boolean
  /** Start it and return, without waiting for it (`-d`); the exit code is then absent. */
  readonly detach?: boolean
  /** Remove it once it has exited (`--rm`); kept, stopped, otherwise, as Compose keeps it. */
  readonly remove?: boolean
  readonly build?: BuildPolicy
  readonly pull?: PullOverride
  /** Where its output goes when attached (`stdout`, `stderr` of this process by default). */
  readonly stdout?: NodeJS.WritableStream
  readonly stderr?: NodeJS.WritableStream
  /** Given to it as its input; its end is the container's end-of-file. */
  readonly stdin?: NodeJS.ReadableStream
  /** How long each dependency may take to meet its condition, in milliseconds (120 s by default). */
  readonly timeoutMs?: number
  /** Hears the container's ID and name once it exists (to forward signals to it, say). */
  readonly onCreated?: (container: OneOffContainer) => void
  readonly onWarning?: (warning: string) => void
  readonly onEvent?: (event: ConvergeEvent) => void
  /** The steps on what it depends on, in Compose v2's words (the CLI's progress). */
  readonly onProgress?: OnProgress
  readonly onBuild?: (event: BuildEvent) => void
}

/** What `run` asks of `up` for the services the one-off depends on. */
export interface BringUpOptions extends Pick<
  RunOptions,
  'build' | 'pull' | 'onWarning' | 'onEvent' | 'onProgress' | 'onBuild' | 'timeoutMs'
> {
  readonly services: readonly string[]
  readonly reap: false
  readonly waitHealthy: false
}

/** A one-off run: its container, and (unless detached) the command's exit code. */
export interface OneOffRun extends OneOffContainer {
  readonly exitCode?: number
}

/**
 * `run SERVICE [COMMAND…]` as Compose v2 runs it: the services it depends on brought up (as by
 * `up -d`) and waited for by their `depends_on` conditions, then a one-off container of the service
 * created and run attached (or started, detached). An attached run is covered by this process's
 * reaper: if the process dies, the one-off container goes (what it depends on stays, as after
 * Compose's `run`).
 */
export async function runOneOff(
  /** Brings up the services it depends on, as `up -d SERVICE…` does with these options. */
  bringUp: (options: BringUpOptions) => Promise<unknown>,
  loaded: LoadedCompose,
  service: string,
  options: RunOptions,
): Promise<OneOffRun> {
  refuseUnapplied(loaded)
  const spec = loaded.project.services[service]!
  const engine = await connectEngine()
  await refuseBeyondEngine(engine, loaded)
  await prepareFor(engine, bringUp, loaded, service, options)
  await pullImages(engine, [spec], options.pull)
  await buildImages(engine, loaded.project, [spec], options.build ?? 'missing', options.onBuild)
  const reaper = !options.detach && reaperEnabled(engine) ? await Reaper.connect(engine) : undefined
  await reaper?.register(loaded.project.name)
  const created = await createOneOff(engine, loaded, service, options, reaper?.session)
  options.onCreated?.(created)
  if (options.detach) {
    await startOneOff(engine, spec, created.id)
    return created
  }
  let exitCode: number | undefined
  try {
    exitCode = await runAttached(engine, spec, created.id, {
      stdout: options.stdout ?? process.stdout,
      stderr: options.stderr ?? process.stderr,
      ...(options.stdin && { stdin: options.stdin }),
    })
  } finally {
    // Removed when asked, or when it never ran to its end; else kept, stopped, as Compose keeps it.
    if (options.remove || exitCode === undefined) await removeContainer(engine, created.id, 0)
    await reaper?.release(loaded.project.name)
  }
  return { ...created, exitCode }
}

/**
 * What the one-off needs before it is created: the services it depends on brought up and waited
 * for; or, without any (or with `noDeps`), the warnings `up` gives, the orphans' among them (as
 * Compose v2 creates its dependencies, none or not, all the same), and the service's own networks
 * and volumes.
 */
async function prepareFor(
  engine: Engine,
  bringUp: (options: BringUpOptions) => Promise<unknown>,
  loaded: LoadedCompose,
  service: string,
  options: RunOptions,
): Promise<void> {
  const spec = loaded.project.services[service]!
  const dependencies = Object.keys(spec.dependsOn)
  const shared = {
    ...(options.build && { build: options.build }),
    ...(options.pull && { pull: options.pull }),
    ...(options.onWarning && { onWarning: options.onWarning }),
    ...(options.onEvent && { onEvent: options.onEvent }),
    ...(options.onProgress && { onProgress: options.onProgress }),
    ...(options.onBuild && { onBuild: options.onBuild }),
    ...(options.removeOrphans && { removeOrphans: true }),
    ...(options.ignoreOrphans && { ignoreOrphans: true }),
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_READY_TIMEOUT_MS
  if (!options.noDeps && dependencies.length > 0) {
    await bringUp({ ...shared, services: dependencies, reap: false, waitHealthy: false, timeoutMs })
    await waitForDependencies(engine, loaded, service, timeoutMs)
    return
  }
  for (const warning of upWarnings(loaded)) options.onWarning?.(warning)
  const existing = groupByService(await listProjectContainers(engine, loaded.project.name))
  await handleOrphans(engine, loaded, existing, shared, options.onWarning ?? (() => {}))
  // The networks and volumes the service uses, not the other services': Compose v2 creates no more.
  await ensureResources(
    engine,
    { ...loaded.project, services: { [service]: spec } },
    { networks: [], volumes: [] },
    { ...(options.onProgress && { onProgress: options.onProgress }) },
  )
}
