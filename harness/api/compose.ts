import { bakeDefinition } from '../runtime/images/bake-definition.js'
import { Readable } from 'node:stream'
import { copyToContainer } from '../runtime/container/copy-files.js'
import { withDependencies } from '../model/project/graph.js'
import type { RestartOptions } from '../runtime/project/restart-project.js'
import { parseComposeDocuments } from '../model/document/parse.js'
import { isRemoteFile } from '../model/merge/remote-reference.js'
import { variablesOf, type DeclaredVariable } from '../model/interpolate/variables.js'
import { projectEvents, type EventsOptions, type ProjectEvent } from '../runtime/project/project-events.js'
import { containerStats, type ContainerStats } from '../runtime/container/container-stats.js'
import { dirname, resolve } from 'node:path'
import { yamlLibrary } from '../model/document/yaml-library.js'
import { loadCompose, loadRawModel, type ComposeSource, type LoadedCompose } from '../model/pipeline/load.js'
import type { Consistency } from '../model/pipeline/normalize.js'
import { checkServiceNames, NoServiceSelectedError, UnknownServiceError } from '../model/project/service-selection.js'
import { ComposeError, isUnknownKey } from '../model/document/compose-error.js'
import type { BuildSpec, ComposeProject, PullPolicy, ServiceSpec } from '../model/project/types.js'
import { refuseUnapplied, upWarnings } from '../runtime/create/applied-keys.js'
import { buildImages, type BuildEvent, type BuildPolicy } from '../runtime/images/build-images.js'
import { ImageLookup } from '../runtime/images/image-lookup.js'
import { buildAttests } from '../runtime/images/build-control.js'
import { renderReport } from '../report/render-report.js'
import { reportDirectory } from '../report/report-directory.js'
import { Timeline } from '../report/timeline.js'
import { pageName, writeReportPage } from '../report/write-report.js'
import { refuseBeyondEngine } from '../runtime/create/engine-limits.js'
import { hooksOf } from '../runtime/container/hooks.js'
import {
  pullImages,
  pullServiceImages,
  pushServiceImages,
  type PullOutcome,
  type PullOverride,
} from '../runtime/images/pull-images.js'
import { Reaper, reaperEnabled } from '../runtime/reaper/reaper.js'
import {
  EngineGoneError,
  HandleError,
  messageOf,
  projectSecrets,
  withoutSecrets,
} from '../runtime/engine/runtime-errors.js'
import { converge, servicesInScope } from '../runtime/up/converge.js'
import type { ConvergeEvent, ConvergeOptions } from '../runtime/up/converge-options.js'
import { downScope, type DownOptions } from './down-scope.js'
import type { StopOptions } from '../runtime/project/stop-start-kill.js'
import { deleteContainer } from '../runtime/engine/remove.js'
import { containerId, reported, type OnProgress } from '../runtime/engine/progress-events.js'
import { changeProject, type ProjectAction, type ProjectActionOptions } from '../runtime/project/project-actions.js'
import { withProjectLock, type LockHolder } from '../runtime/project/project-lock.js'
import { takeOverProject } from '../runtime/reaper/reaper-hand-over.js'
import { connectEngine, type Engine } from '../runtime/engine/engine.js'
import { pinnedImages } from '../runtime/images/image-digests.js'
import {
  artifactLayers,
  imageDigestsOverride,
  includesLocalFiles,
  PublishError,
  unpublishable,
  type OciVersion,
} from '../runtime/images/compose-artifact.js'
import { artifactTarget } from '../runtime/images/oci-registry.js'
import { publishArtifact } from '../runtime/images/publish-artifact.js'
import { packageVersion } from '../runtime/engine/package-root.js'
import {
  notRunning,
  groupByService,
  listProjectContainers,
  type ExistingContainer,
} from '../runtime/project/project-containers.js'
import {
  containerProcesses,
  type ContainerProcesses,
  firstExit,
  listProjects,
  projectImages,
  projectVolumes,
  type ProjectImage,
  type ProjectSummary,
  type ProjectVolume,
} from '../runtime/project/project-queries.js'
import { definedOnly, readProjectEnvFiles, readSource, readText } from './compose-files.js'
import { reuseKey, reuseOn } from './reuse.js'
import { signalContainer } from '../runtime/up/one-off.js'
import { runOneOff, type OneOffRun, type RunOptions } from './one-off-run.js'
import type { WaitSpec } from '../runtime/container/readiness.js'
import { SharedCompose } from './shared-compose.js'
import { StartedCompose } from './started-compose.js'
import { isMapping, isSwitchedOn } from '../model/document/values.js'

/** Everything `Compose.fromSettings` takes: what the CLI's global flags and the environment would give. */
export interface ComposeSettings {
  /** The compose files, merged in order as `-f a -f b` does; relative paths are from the current directory; `-` is `standardInput`. */
  readonly files: readonly string[]
  /** The text of the file named `-` (`-f -`, read from the standard input), as Compose v2 reads it. */
  readonly standardInput?: string
  /** `-p`: else COMPOSE_PROJECT_NAME, the files' `name:`, then the project directory's name. */
  readonly projectName?: string
  /** `--project-directory`: relative paths in the files start here; the first file's directory by default. */
  readonly projectDirectory?: string
  /**
   * Where the files' relative paths start instead, the project directory still naming the project
   * and holding its `.env`: the copy of a project fetched from a registry (`fetchRemoteFiles`), as
   * Compose v2 reads `-f oci://…`.
   */
  readonly filesDirectory?: string
  /** The local copies of the projects in registries (`oci://…`) the files include or extend, by reference: what `fetchRemoteFiles` fetched. */
  readonly fetched?: Readonly<Record<string, string>>
  /** Variables the compose files see; the process's environment unless given. */
  readonly environment?: Readonly<Record<string, string | undefined>>
  /** Merged over the files in order, exactly like further `-f` files. */
  readonly overrides?: readonly ComposeSource[]
  /** `--env-file` files, later ones winning; the project directory's `.env` when none are given. */
  readonly envFiles?: readonly string[]
  /** `--profile` values; COMPOSE_PROFILES when none are given. */
  readonly profiles?: readonly string[]
  /** Told when another run of the harness is changing this project and this one waits for it to finish. */
  readonly onBusy?: (message: string) => void
  /** `--all-resources`: `up` creates, and `config` shows, every network and volume the files declare, used or not. */
  readonly allResources?: boolean
  /** `--parallel N` (COMPOSE_PARALLEL_LIMIT): at most N builds, pulls and pushes at once, as Compose v2 limits them. */
  readonly parallel?: number
  /** `--compatibility`: containers and default images named as Compose v1 named them (`p_web_1`, `p_web`); COMPOSE_COMPATIBILITY when absent. */
  readonly compatibility?: boolean
}

/** What `build` is asked beside its policy, as `compose build`'s flags. */
export interface BuildOptions {
  /** Only these services' images. */
  readonly services?: readonly string[]
  /** Build every step again (`--no-cache`). */
  readonly noCache?: boolean
  /** Pull newer base images first (`--pull`). */
  readonly pull?: boolean
  /** Over the file's `build.args` (`--build-arg KEY=VALUE`). */
  readonly buildArgs?: Readonly<Record<string, string>>
  /** With `services`: also the images of what they depend on (`--with-dependencies`). */
  readonly withDependencies?: boolean
  /** Added to every build's `ssh` (`--ssh default` or `--ssh ID=PATH`, a path from the current directory). */
  readonly ssh?: readonly string[]
  /** The build container's memory limit in bytes (`--memory`), which only the classic builder applies. */
  readonly memoryBytes?: number
  /**
   * `--provenance` and `--sbom`: attestations (`true`, `false`, or their attributes such as
   * `mode=max`), which an engine with containerd's image store keeps; elsewhere a build that asks
   * for one is refused, as Compose v2's is.
   */
  readonly provenance?: string
  readonly sbom?: string
  /** Take the files' `provenance` and `sbom` under `build` too, as Compose v2's `build` command does (its `up` does not). */
  readonly attestations?: boolean
}

/** How `pull()` chooses and pulls. */
/** How `publish()` makes the artifact, as `compose publish`'s flags say. */
export interface PublishOptions {
  /** `--with-env`: the env files the services name go in too. */
  readonly withEnv?: boolean
  /** `--resolve-image-digests`: an override file pinning each service's image to its registry's digest goes in too. */
  readonly resolveImageDigests?: boolean
  /** `--app`: each service's image copied into the artifact's repository too, listed by an index whose subject is the project. */
  readonly app?: boolean
  /** `--oci-version`: the manifest as OCI 1.0 or 1.1 defines it; by default 1.1, else 1.0 where the registry refuses 1.1's. */
  readonly ociVersion?: OciVersion
  /** Each image pushed and the artifact's publishing, as Compose v2 shows them. */
  readonly onProgress?: OnProgress
}

export interface PullOptions {
  /** Leave out the images of services that build theirs (`--ignore-buildable`). */
  readonly ignoreBuildable?: boolean
  /** With services named: also those they depend on (`--include-deps`). */
  readonly includeDeps?: boolean
  /** Over the pull policy of every service that names an image (`--policy`): `always` pulls, `missing` only what is absent, as `pull_policy` says. */
  readonly policy?: PullPolicy
  /** Each service (`app Pulling`, `app Pulled`, `app Skipped - …`) and each layer of its pull, as Compose v2 shows them. */
  readonly onProgress?: OnProgress
}

/**
 * How `up()` builds, converges and waits; the rest (recreation, orphans, `noStart`, events) as
 * `ConvergeOptions` says. `S` names the services, so that the compiler checks the names given:
 * `up<'web' | 'db'>({ waitFor: { web: … } })`; it is never guessed from the options.
 */
export interface UpOptions<S extends string = string> extends Omit<
  ConvergeOptions,
  'services' | 'scale' | 'waitFor' | 'timeoutMs' | 'session' | 'reapVolumes'
> {
  /** Start only these services and what they depend on (`up SERVICE…`). */
  readonly services?: readonly NoInfer<S>[]
  /** service → number of containers, over `scale`/`deploy.replicas` (`--scale svc=n`). */
  readonly scale?: Readonly<Partial<Record<NoInfer<S>, number>>>
  /** service → what it must reach before it counts as ready, over the default (healthy if it has a healthcheck, else running). */
  readonly waitFor?: Readonly<Partial<Record<NoInfer<S>, WaitSpec>>>
  /**
   * How long each wait may take, in milliseconds (120 000): a service's health, its `waitFor`, a
   * dependency's `depends_on` condition; and afterwards a fault's `ready` wait (ServiceHandle).
   */
  readonly timeoutMs?: number
  /**
   * Whether `up()` also waits out the first 300 ms of each service it counts as started (one
   * without a healthcheck or a `waitFor`), so that one that exits at once fails `up()` itself.
   * By default (false) `up()` returns once they run, as Compose v2's `up --wait` does, and such an
   * exit, found afterwards, is thrown by `down()` (and the disposal, the fixture's teardown) once
   * the project is removed; an exit after the first fault the test inflicts through the harness is
   * taken for the fault's doing (the check is made before it).
   */
  readonly settle?: boolean
  /**
   * Whether a crash of this process also removes the named volumes this up creates (true: the
   * project is test-scoped). The CLI's foreground `up` passes false: a crash never takes a user's data.
   */
  readonly crashRemovesVolumes?: boolean
  /**
   * Register the project with this process's reaper first, so that if the process dies (crash,
   * SIGKILL) the project is removed seconds later (true). `up -d` passes false: a detached
   * project is meant to outlive the command.
   */
  readonly reap?: boolean
  /** Compose's default builds only missing images; `always` is `up --build`, `never` is `--no-build`. */
  readonly build?: BuildPolicy
  /** Hears each build start, each Dockerfile step and each build's end. */
  readonly onBuild?: (event: BuildEvent) => void
  /** Over every service's `pull_policy` (`up --pull`): `missing` is the default. */
  readonly pull?: PullOverride
  /**
   * Keep the project for the next run, which converges it (kept when unchanged) instead of making
   * it anew: never reaped, not removed at `await using`'s end; `down()` removes it. Without a
   * name given (`withProjectName`), it is named after the files and what else defines it. The
   * environment decides first: `COMPOSE_HARNESS_REUSE=true|false`, `TESTCONTAINERS_REUSE_ENABLE=false`;
   * without the option, `testcontainers.reuse.enable=true` in `~/.testcontainers.properties` turns it on.
   */
  readonly reuse?: boolean
  /**
   * A directory for this project's report (else COMPOSE_HARNESS_REPORT's): a page with its
   * timeline when it is disposed of, or when `up` fails, with the error (harness/report).
   */
  readonly report?: string
}

/** `--project-directory`, else the first file's directory (the working directory without files), made absolute. */
function projectDirectoryOf({
  projectDirectory,
  files,
}: {
  readonly projectDirectory?: string | undefined
  readonly files: readonly string[]
}): string {
  // A project in a registry (`oci://…`) first: the current directory stands for its directory, as in v2.
  const first = files.find((f) => f !== '-')
  return resolve(projectDirectory ?? (first === undefined || isRemoteFile(first) ? '.' : dirname(first)))
}

/**
 * A compose project described by its files, not yet running. Every `with…` returns a new one.
 *
 * @example
 * ```ts
 * const project = await Compose.fromFiles('compose.yml').withProjectName('itest').up()
 * try {
 *   const port = await project.service('api').mappedPort(8080)
 * } finally {
 *   await project.down()
 * }
 * ```
 */
export class Compose {
  private constructor(
    private readonly settings: ComposeSettings,
    /** Known by its name alone (`byName`): the loaded project says so (`ComposeProject.byName`). */
    private readonly knownByName = false,
    /** Services a command names: enabled whatever their profiles (see `enabling`). */
    private readonly enabled: readonly string[] = [],
  ) {}

  /**
   * This project with the services named enabled, whatever their profiles: their profiles are
   * activated, as Compose v2 enables the services a command names (`up tool`, `run migrate` of a
   * `tools` profile), which enables the other services of those profiles too.
   */
  private enabling(services: readonly string[] = []): Compose {
    return services.length === 0 ? this : new Compose(this.settings, this.knownByName, [...this.enabled, ...services])
  }

  /** The project of these compose files, merged in order as `-f a -f b` does. */
  static fromFiles(...files: string[]): Compose {
    return new Compose({ files: files.map((f) => resolve(f)) })
  }

  /**
   * A project known only by its name, as the engine has it (`docker compose -p NAME down` with no
   * compose file): what acts on its containers by their labels works (`down`, `stop`, `start`,
   * `restart`, `ps`, `rm`, `images`, `top`, `attach`); it has no services of its own to bring up. A
   * service named is whichever its containers' labels name (one none carries matches nothing).
   * `from` says where its variables come from (`variable()`, for `exec -e KEY`), as it would for a
   * project of those files: the env files, else `.env` in the project directory.
   */
  static byName(
    projectName: string,
    from: Pick<ComposeSettings, 'envFiles' | 'projectDirectory'> & { readonly files?: readonly string[] } = {},
  ): Compose {
    return new Compose(
      {
        ...(from.envFiles && { envFiles: from.envFiles }),
        projectDirectory: projectDirectoryOf({ files: from.files ?? [], projectDirectory: from.projectDirectory }),
        files: [],
        projectName,
        overrides: [{ file: `<project ${projectName}>`, text: 'services: {}\n' }],
      },
      true,
    )
  }

  /** The project as the CLI's global flags would describe it: files, name, directory, env files, profiles. */
  static fromSettings(settings: ComposeSettings): Compose {
    return new Compose({ ...settings, files: settings.files.map((f) => (f === '-' ? f : resolve(f))) })
  }

  /** The project's name, as `-p` gives it: it names the containers (`NAME-SERVICE-1`), networks and volumes. */
  withProjectName(projectName: string): Compose {
    return new Compose({ ...this.settings, projectName }, this.knownByName)
  }

  /** The variables that `${…}` in the files sees, instead of the process's environment. */
  withEnvironment(environment: Readonly<Record<string, string | undefined>>): Compose {
    return new Compose({ ...this.settings, environment }, this.knownByName)
  }

  /** Another compose document, as text or as a value, merged over the files like one more `-f`. */
  withOverride(override: string | Record<string, unknown>): Compose {
    // An empty override changes nothing (as a file, Compose would refuse it as empty).
    if (typeof override === 'object' && Object.keys(override).length === 0) return this
    const overrides = this.settings.overrides ?? []
    const text = typeof override === 'string' ? override : yamlLibrary().stringify(override)
    return new Compose({
      ...this.settings,
      overrides: [...overrides, { file: `<override ${overrides.length + 1}>`, text }],
    })
  }

  /**
   * The services named enabled whatever their profiles, as Compose v2 enables the services a
   * command names: their profiles are activated (with the other services of those profiles).
   * `up`, `run`, `build` and the other methods that take services do this themselves.
   */
  withServicesEnabled(...services: string[]): Compose {
    return this.enabling(services)
  }

  /** The profiles to enable, as `--profile` does; services without a profile always run. */
  withProfiles(...profiles: string[]): Compose {
    return new Compose({ ...this.settings, profiles }, this.knownByName)
  }

  /** Whether every network and volume the files declare is created and shown, used or not (`--all-resources`). */
  get allResources(): boolean {
    return this.settings.allResources === true
  }

  /** `--compatibility`, else COMPOSE_COMPATIBILITY (from the environment, then the env files, as v2 reads it): names as Compose v1 made them. */
  get compatibility(): boolean {
    return this.compatibilityIn(this.variablesIn().lookup)
  }

  /** `--compatibility` when given, else COMPOSE_COMPATIBILITY as the files' variables have it (the environment, then the env files). */
  private compatibilityIn(lookup: (name: string) => string | undefined): boolean {
    return this.settings.compatibility ?? isSwitchedOn(lookup('COMPOSE_COMPATIBILITY'))
  }

  /**
   * Reads and checks the files; throws a ComposeError listing every problem. Without `consistency`
   * (`config --no-consistency`), what services refer to and container names go unchecked; without
   * `resolvePaths` (`config --no-path-resolution`), the paths stay as written; without
   * `normalizeName` (`config --no-normalize`), so does the project's name (a model to print, not to
   * run); without `readEnvFiles` (`config --services` and the other lists), services' env files are
   * not read.
   */
  load({
    consistency = true,
    resolvePaths = true,
    normalizeName = true,
    readEnvFiles = true,
  }: {
    readonly consistency?: Consistency
    readonly resolvePaths?: boolean
    readonly normalizeName?: boolean
    readonly readEnvFiles?: boolean
  } = {}): LoadedCompose {
    return this.loadWith(this.variablesIn(), consistency, { resolvePaths, normalizeName, readEnvFiles })
  }

  /**
   * The files as `config --no-interpolate` prints them: a plain document, every `${…}` as written,
   * in compose-go's canonical forms where a value parses (see `model/pipeline/raw-model.ts`).
   */
  rawModel({
    resolvePaths = true,
    normalize = true,
  }: { readonly resolvePaths?: boolean; readonly normalize?: boolean } = {}): Record<string, unknown> {
    const variables = this.variablesIn()
    this.refuseUnknownKeys(variables)
    const { projectDirectory, nameDirectory, lookup } = variables
    const { settings } = this
    return loadRawModel([...this.sources(), ...(settings.overrides ?? [])], {
      projectDirectory,
      ...(nameDirectory !== undefined && { nameDirectory }),
      ...(settings.fetched && { fetched: settings.fetched }),
      ...(settings.projectName !== undefined && { projectName: settings.projectName }),
      lookup,
      readText,
      resolvePaths,
      normalizeName: normalize,
    })
  }

  /**
   * Throws a ComposeError naming each key the files have that Compose does not know, as v2 refuses
   * them before it prints the files uninterpolated (`rawModel()`, `variables()`): the files are
   * read with every variable set, so that nothing interpolation would decide is a problem here.
   */
  private refuseUnknownKeys(variables = this.variablesIn()): void {
    try {
      this.loadWith({ ...variables, lookup: () => '1' }, false, { readEnvFiles: false })
    } catch (error) {
      if (!(error instanceof ComposeError)) throw error
      const unknown = error.problems.filter(isUnknownKey)
      if (unknown.length > 0) throw new ComposeError(unknown)
    }
  }

  /** `load()` with the variables already read (the env files read once). */
  private loadWith(
    { projectDirectory, nameDirectory, lookup }: ReturnType<Compose['variablesIn']>,
    consistency: Consistency = true,
    printing: {
      readonly resolvePaths?: boolean
      readonly normalizeName?: boolean
      readonly readEnvFiles?: boolean
    } = {},
  ): LoadedCompose {
    const { settings } = this
    const sources = [...this.sources(), ...(settings.overrides ?? [])]
    const loaded = loadCompose(sources, {
      projectDirectory,
      ...(nameDirectory !== undefined && { nameDirectory }),
      ...(settings.fetched && { fetched: settings.fetched }),
      ...(settings.projectName !== undefined && { projectName: settings.projectName }),
      ...(settings.profiles !== undefined && { profiles: settings.profiles }),
      ...(this.enabled.length > 0 && { enable: this.enabled }),
      lookup,
      readText,
      consistency,
      ...printing,
      ...(this.compatibilityIn(lookup) && { compatibility: true }),
    })
    return this.knownByName ? { ...loaded, project: { ...loaded.project, byName: true } } : loaded
  }

  /**
   * The variables `${…}` in the files sees, as `config --environment` prints them: the process's
   * environment (or the one given), then the env files, PWD when the environment has none, and
   * COMPOSE_PROJECT_NAME set to the project's name, as Compose v2 makes its project's environment.
   */
  environment(): Record<string, string> {
    const variables = this.variablesIn()
    const { environment, fromFiles } = variables
    return {
      PWD: process.cwd(),
      ...fromFiles,
      ...definedOnly(environment),
      // What services refer to is checked, container names are not, as v2's `config --environment` checks them.
      COMPOSE_PROJECT_NAME: this.loadWith(variables, 'references').project.name,
    }
  }

  /**
   * The value `${name}` in the files sees: the process's environment (or the one given) over the
   * env files; undefined when neither has it. `run -e NAME` and `exec -e NAME` take it, as v2's do.
   */
  variable(name: string): string | undefined {
    return this.variablesIn().lookup(name)
  }

  /** The compose files' texts, in order; `-` is the standard input's. */
  private sources(): ComposeSource[] {
    return this.settings.files.map((file) => {
      if (file === '-') return { file, text: this.settings.standardInput ?? '' }
      if (isRemoteFile(file))
        throw new ComposeError([
          {
            at: { file },
            path: [],
            detail:
              'a project in a registry is fetched before it is read: `Compose.fromSettings(await fetchRemoteFiles(settings))` (the CLI fetches what `-f oci://…` names)',
          },
        ])
      return readSource(file)
    })
  }

  /** The project directory, and the variables the files see: the environment over the env files. */
  private variablesIn() {
    const { settings } = this
    const environment = settings.environment ?? process.env
    const named = projectDirectoryOf(settings)
    const fromFiles = readProjectEnvFiles(
      settings.envFiles?.map((f) => resolve(f)) ?? [resolve(named, '.env')],
      settings.envFiles !== undefined,
      (name) => environment[name],
    )
    const lookup = (name: string): string | undefined => environment[name] ?? fromFiles[name]
    // Relative paths start in the files' directory where it is another (fetched files); the name is the project directory's.
    const projectDirectory = settings.filesDirectory === undefined ? named : resolve(settings.filesDirectory)
    const nameDirectory = settings.filesDirectory === undefined ? undefined : named
    return { environment, fromFiles, projectDirectory, nameDirectory, lookup }
  }

  /** The variables the files use (not the files they include), with their defaults, by name, as `config --variables` lists them. */
  variables(): DeclaredVariable[] {
    this.refuseUnknownKeys()
    const found = new Map<string, DeclaredVariable>()
    for (const { file, text } of this.sources())
      for (const { value } of parseComposeDocuments(file, text)) {
        // The project's `name` is read before the rest: Compose v2 does not list its variables.
        const { name: _name, ...document } = value
        for (const [name, v] of variablesOf(document)) found.set(name, v)
      }
    return [...found.values()].sort((a, b) => (a.name < b.name ? -1 : 1))
  }

  /**
   * Builds the images of services with a `build` section (of `options.services`, when given): all
   * of them (`always`), or only those missing; `options` as `compose build`'s flags.
   */
  async build(
    policy: BuildPolicy = 'always',
    onBuild?: UpOptions['onBuild'],
    options: BuildOptions = {},
  ): Promise<void> {
    const compose = this.enabling(options.services)
    const services = compose.toBuild(options)
    await buildImages(await connectEngine(), compose.load().project, services, policy, onBuild, this.settings.parallel)
  }

  /**
   * The bake file Compose v2's `build --print` prints for the services `build` would build, with
   * `options` as `build` takes them (and `push`): nothing is built.
   */
  bakeDefinition(options: BuildOptions & { readonly push?: boolean } = {}): Record<string, unknown> {
    const compose = this.enabling(options.services)
    return bakeDefinition(
      compose.load().project,
      compose.toBuild(options),
      compose.toBuild({ ...options, withDependencies: true }),
      options,
    )
  }

  /** The services `build` builds (named, with what they depend on when asked), the flags' build settings over the files'. */
  private toBuild(options: BuildOptions): ServiceSpec[] {
    return this.servicesNamed(options.services, options.withDependencies).map((s) =>
      s.build
        ? {
            ...s,
            build: {
              ...s.build,
              args: { ...s.build.args, ...options.buildArgs },
              settings: {
                ...s.build.settings,
                ...(options.noCache && { noCache: true }),
                ...(options.pull && { pull: true }),
                ...(options.memoryBytes !== undefined && { memoryBytes: options.memoryBytes }),
                ...attestsOf(s.build.options, options),
              },
              ...(options.ssh?.length && { options: withSsh(s.build.options, options.ssh) }),
            },
          }
        : s,
    )
  }

  /**
   * Builds what is missing, then creates or updates the project's networks, volumes and
   * containers. Unless told otherwise it also waits for every service with a healthcheck to be
   * healthy, so that what it returns is ready to test.
   */
  async up<S extends string = string>({ reuse, ...options }: UpOptions<S> = {}): Promise<StartedCompose<S>> {
    const enabled = this.enabling([
      ...(options.services ?? []),
      ...Object.keys(options.scale ?? {}),
      ...Object.keys(options.waitFor ?? {}),
    ])
    if (!reuseOn(reuse)) return enabled.bringUp<S>(options, false)
    const named =
      this.settings.projectName !== undefined
        ? enabled
        : enabled.withProjectName(`${enabled.load().project.name}-${reuseKey(enabled.identity())}`)
    return named.bringUp<S>({ ...options, reap: false }, true)
  }

  /** What defines the project besides its files' contents: a reused project's name is made from it. */
  private identity(): unknown {
    const { files, projectDirectory, envFiles, profiles, overrides, environment } = this.settings
    return {
      files,
      projectDirectory: projectDirectoryOf({ files, projectDirectory }),
      envFiles,
      profiles,
      enabled: this.enabled,
      overrides: overrides?.map((o) => o.text),
      environment,
    }
  }

  /** `up`, once it is known whether the project is reused (kept when the returned project is disposed of). */
  private async bringUp<S extends string>(
    {
      build = 'missing',
      onBuild,
      waitHealthy = true,
      reap = true,
      pull,
      crashRemovesVolumes = true,
      report,
      ...given
    }: Omit<UpOptions<S>, 'reuse'>,
    reused: boolean,
  ): Promise<StartedCompose<S>> {
    const recording = recordingOf(report)
    // The runtime's view: services by name, whatever names the compiler was given.
    const runtimeView = given as Omit<ConvergeOptions, 'session' | 'reapVolumes'>
    const options = recording ? recorded(runtimeView, recording.timeline) : runtimeView
    const loaded = this.load()
    checkUp(loaded, options)
    const engine = await connectEngine()
    await refuseBeyondEngine(engine, loaded)
    // Only what this up starts is built or pulled, as Compose v2 does for `up SERVICE`.
    const services = servicesInScope(loaded, options).map((s) => loaded.project.services[s]!)
    const { name } = loaded.project
    let reaper: Reaper | undefined
    try {
      return await withProjectLock(
        engine,
        name,
        { action: 'up', onWait: this.busy(name, options.onWarning) },
        async () => {
          reaper = reap && reaperEnabled(engine) ? await Reaper.connect(engine) : undefined
          await reaper?.register(name)
          await takeOverProject(engine, name, reaper)
          const images = await this.pullAndBuild(engine, loaded, services, { pull, build }, (e) => {
            recording?.timeline.built(e)
            onBuild?.(e)
          })
          const converging = this.convergeOptions(options, { waitHealthy, reapVolumes: crashRemovesVolumes }, reaper)
          const { containers, unsettled } = await converge(engine, loaded, converging, images)
          return new StartedCompose<S>(engine, loaded, containers, reaper, {
            ...(options.waitFor && { waitFor: options.waitFor }),
            ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
            reapVolumes: crashRemovesVolumes,
            reused,
            unsettled,
            ...(recording && { report: recording }),
          })
        },
      )
    } catch (error) {
      throw upFailure(error, loaded, services, reaper, recording)
    }
  }

  /** What `up` asks of the convergence: its options, with the project's settings and the reaper's session. */
  private convergeOptions(
    options: Omit<ConvergeOptions, 'session' | 'reapVolumes'>,
    { waitHealthy, reapVolumes }: { readonly waitHealthy: boolean; readonly reapVolumes: boolean },
    reaper: Reaper | undefined,
  ): ConvergeOptions {
    return {
      ...(this.settings.allResources && { allResources: true }),
      ...options,
      waitHealthy,
      settle: options.settle ?? false,
      ...(reaper && { session: reaper.session }),
      reapVolumes,
    }
  }

  /**
   * Pulls, then builds, the images of `services` as `up` does (at most `--parallel` at once). The
   * images as the engine has them afterwards, each asked once, for the convergence.
   */
  private async pullAndBuild(
    engine: Engine,
    loaded: LoadedCompose,
    services: readonly ServiceSpec[],
    { pull, build }: { readonly pull: PullOverride | undefined; readonly build: BuildPolicy },
    onBuild: (event: BuildEvent) => void,
  ): Promise<ImageLookup> {
    const images = new ImageLookup(engine)
    await pullImages(engine, services, pull, this.settings.parallel, images)
    await buildImages(engine, loaded.project, services, build, onBuild, this.settings.parallel, images)
    return images
  }

  /**
   * Brings the project up once for many tests (a file's or a worker's), which take turns with it:
   * after each turn it is put back as this `up` left it (shared-compose.ts). `options` as `up()`'s,
   * but `settle` is true unless told otherwise: a turn's put-back would start again a service that
   * exited at once, and hide it, so the stack's `up` waits that out itself (once for many tests).
   */
  async upShared<S extends string = string>(options: UpOptions<S> = {}): Promise<SharedCompose<S>> {
    return SharedCompose.up(() => this.up<S>({ settle: true, ...options }))
  }

  /**
   * Runs a one-off container of `service`, as `compose run` does (one-off-run.ts): what it depends
   * on brought up first, then the container run attached (or only started, with `detach`).
   */
  async run(service: string, options: RunOptions = {}): Promise<OneOffRun> {
    const compose = this.enabling([service])
    const loaded = compose.load()
    checkServiceNames(loaded.project, [service])
    // Its dependencies are the project's own, under its own name: never a reused project's.
    return runOneOff((up) => compose.up({ ...up, reuse: false }), loaded, service, options)
  }

  /** Sends `signal` to a one-off container of `run` (Ctrl+C passed on); one that has gone is fine. */
  async signalOneOff(id: string, signal: NodeJS.Signals): Promise<void> {
    await signalContainer(await connectEngine(), id, signal)
  }

  /** The project as the engine has it now (brought up earlier, by any process), with handles on its containers. */
  async attach(): Promise<StartedCompose> {
    const loaded = this.load()
    const engine = await connectEngine()
    const existing = await listProjectContainers(engine, loaded.project.name)
    return new StartedCompose(engine, loaded, groupByService(existing.sort((a, b) => a.number - b.number)))
  }

  /**
   * Copies `source` (a path of this machine, or a tar archive's bytes) to `destination` in every
   * container of `service`, as `compose cp SRC SERVICE:DEST` does: only container number `index`
   * when given; `run`'s one-off containers too with `oneOffs` (`--all`). The containers' names.
   */
  async copyTo(
    service: string,
    source: string | Buffer,
    destination: string,
    { index, oneOffs = false }: { readonly index?: number; readonly oneOffs?: boolean } = {},
  ): Promise<string[]> {
    const { project } = this.enabling([service]).load()
    checkServiceNames(project, [service])
    const engine = await connectEngine()
    const all = [
      ...(await listProjectContainers(engine, project.name)),
      ...(oneOffs && index === undefined ? await listProjectContainers(engine, project.name, true) : []),
    ]
    const targets = all.filter((c) => c.service === service && (index === undefined || c.number === index))
    if (targets.length === 0)
      throw new HandleError(
        index === undefined
          ? `no container found for service "${service}" in project ${project.name}`
          : `service "${service}" has no container number ${index} in project ${project.name}`,
      )
    await Promise.all(
      targets.map((c) =>
        copyToContainer(engine, c.id, typeof source === 'string' ? source : Readable.from([source]), destination),
      ),
    )
    return targets.map((c) => c.name)
  }

  /** The project's containers as the engine has them now (of `services`, when given, which must be the project's). */
  async ps(services: readonly string[] = []): Promise<ExistingContainer[]> {
    return this.containersIn(this.enabling(services).load().project, services)
  }

  /** `project`'s containers on the engine (of `services`, when given, which must be the project's), by name. */
  private async containersIn(project: ComposeProject, services: readonly string[]): Promise<ExistingContainer[]> {
    checkServiceNames(project, services)
    const containers = await listProjectContainers(await connectEngine(), project.name)
    return containers
      .filter((c) => services.length === 0 || services.includes(c.service))
      .sort((a, b) => a.name.localeCompare(b.name))
  }

  /** Every project on the engine, whichever tool brought it up (by Compose's labels), as `compose ls` lists them; with `all`, those with no running container too. */
  static async projects({ all = false }: { readonly all?: boolean } = {}): Promise<ProjectSummary[]> {
    return listProjects(await connectEngine(), all)
  }

  /**
   * Pulls the images of the project's services (of `services`, when given), as `compose pull`
   * does: what each did is in its outcome, a failed pull included (nothing is thrown for it).
   */
  async pull(services: readonly string[] = [], options: PullOptions = {}): Promise<PullOutcome[]> {
    return pullServiceImages(await connectEngine(), this.servicesNamed(services, options.includeDeps), {
      ...options,
      ...(this.settings.parallel !== undefined && { parallel: this.settings.parallel }),
    })
  }

  /**
   * Pushes the images that services build and name (of `services`, with what they depend on when
   * `includeDeps`; all when none is), as `compose push` does; a failed push is in its outcome.
   */
  async push(
    services: readonly string[] = [],
    {
      includeDeps = false,
      onProgress,
    }: {
      readonly includeDeps?: boolean
      /** Each service skipped and each layer pushed, as Compose v2 shows them. */
      readonly onProgress?: OnProgress
    } = {},
  ): Promise<PullOutcome[]> {
    return pushServiceImages(
      await connectEngine(),
      this.servicesNamed(services, includeDeps),
      this.settings.parallel,
      onProgress,
    )
  }

  /**
   * Why the project cannot be published, in Compose v2's words, or undefined: a file that includes
   * local files, or a service that only builds (no image to name).
   */
  publishRefusal(): string | undefined {
    // The files are loaded first: a file that does not load fails as it would anywhere.
    const { project } = this.withProfiles('*').load()
    if (this.sources().some(({ file, text }) => includesLocalFiles(file, text)))
      return 'cannot publish compose file with local includes'
    return unpublishable(project)
  }

  /**
   * Publishes the project to `reference` (`REGISTRY/REPOSITORY[:TAG]`) as an OCI artifact, as
   * `compose publish` does: the images its services build are pushed first (a failed push is
   * tolerated, as in Compose v2), then its files as the artifact's layers (env files and `extends`
   * files named by a hash; the env files themselves with `withEnv`; an override that pins every
   * image with `resolveImageDigests`; with `app`, that override and the services' images copied
   * beside it, listed by an index). Every profile's services are in it. Throws PublishError for
   * what `publishRefusal()` refuses, and RegistryError for what the registry refuses. What Compose
   * v2 asks before publishing (bind mounts, variables) is the caller's to ask.
   */
  async publish(reference: string, options: PublishOptions = {}): Promise<void> {
    const refused = this.publishRefusal()
    if (refused) throw new PublishError(refused)
    const every = this.withProfiles('*')
    const { project } = every.load()
    const { onProgress } = options
    await every.push([], { ...(onProgress && { onProgress }) })
    const files = this.sources().map(({ file, text }) => ({ path: file, text }))
    // `app` pins the images too, as in Compose v2.
    const pinned = options.resolveImageDigests || options.app ? await every.imageDigests() : undefined
    const version = packageVersion()
    const layers = artifactLayers({
      files,
      projectDirectory: this.variablesIn().projectDirectory,
      readText,
      withEnv: Boolean(options.withEnv),
      ...(pinned && { imageDigests: imageDigestsOverride(pinned) }),
      version,
    })
    const target = artifactTarget(reference)
    // Compose v2 says it as the text of the step, with no status.
    const step = (text: string, state: 'working' | 'done' | 'error') =>
      onProgress?.({ id: reference, text, status: '', state })
    step('publishing', 'working')
    try {
      await publishArtifact(target, layers, {
        ...(options.ociVersion && { version: options.ociVersion }),
        ...(options.app && {
          app: {
            images: Object.keys(project.services)
              .sort()
              .map((s) => project.services[s]!.image),
            version,
          },
        }),
      })
    } catch (error) {
      step('publishing', 'error')
      throw error
    }
    step('published', 'done')
  }

  /**
   * Each service's image pinned to the digest its registry has for it now (`config
   * --resolve-image-digests`), by service; a service that names no image is left out. Throws
   * ImageDigestError for an image the registry does not have.
   */
  async imageDigests(): Promise<Map<string, string>> {
    return pinnedImages(await connectEngine(), Object.values(this.load().project.services))
  }

  /** The project's services named (all when none is; with what they depend on when `includeDeps`), which must be the project's. */
  private servicesNamed(services: readonly string[] = [], includeDeps = false): ServiceSpec[] {
    const { project, plan } = this.enabling(services).load()
    checkServiceNames(project, services)
    const chosen = includeDeps ? withDependencies(services, (s) => plan.dependencies.get(s) ?? []) : services
    return Object.values(project.services).filter((s) => chosen.length === 0 || chosen.includes(s.name))
  }

  /** The image each container of the project runs (of `services`, when given). */
  async images(services: readonly string[] = []): Promise<ProjectImage[]> {
    return projectImages(await connectEngine(), await this.ps(services))
  }

  /** The project's volumes (those its running containers of `services` mount, when given), as `compose volumes` lists them. */
  async volumes(services: readonly string[] = []): Promise<ProjectVolume[]> {
    const { project } = this.enabling(services).load()
    checkServiceNames(project, services)
    return projectVolumes(await connectEngine(), project.name, services)
  }

  /** Each running container's use of CPU, memory, network, disk and processes (stopped ones too, at 0, with `all`), as `compose stats` shows it. */
  async stats(
    services: readonly string[] = [],
    { all = false }: { readonly all?: boolean } = {},
  ): Promise<ContainerStats[]> {
    const engine = await connectEngine()
    const containers = (await this.ps(services)).filter((c) => all || c.running)
    return Promise.all(containers.map((c) => containerStats(engine, c.id, c.name)))
  }

  /**
   * Hands each event of the project's containers (of `services`, when given; one-offs left out)
   * to `onEvent` as the engine reports it, as `compose events` does, until `until` or `signal`.
   */
  async events(options: EventsOptions, onEvent: (event: ProjectEvent) => void): Promise<void> {
    const { project } = this.enabling(options.services).load()
    checkServiceNames(project, options.services)
    await projectEvents(await connectEngine(), project.name, options, onEvent)
  }

  /** The processes of each running container of the project (of `services`, when given). */
  async top(services: readonly string[] = []): Promise<ContainerProcesses[]> {
    const engine = await connectEngine()
    const running = (await this.ps(services)).filter((c) => c.running)
    return Promise.all(
      running.map(async (c) => ({
        container: c.name,
        service: c.service,
        number: c.number,
        ...(await containerProcesses(engine, c.id)),
      })),
    )
  }

  /** Waits until a container of `services` has stopped (at once if one has); resolves with its exit code. */
  async wait(services: readonly string[]): Promise<number> {
    const { project } = this.enabling(services).load()
    const containers = await this.containersIn(project, services)
    // In Compose v2's words.
    if (containers.length === 0) throw new HandleError(`no containers for project "${project.name}"`)
    return firstExit(
      await connectEngine(),
      containers.map((c) => c.id),
    )
  }

  /**
   * The project's containers that are not running (of `services`, when given), by name: each one's
   * state asked of the engine itself, as Compose v2's `rm` asks it (a list can lag behind a stop).
   */
  async stopped(services: readonly string[] = []): Promise<ExistingContainer[]> {
    const { project } = this.enabling(services).load()
    checkServiceNames(project, services)
    // In the engine's order (newest first), which Compose v2 keeps.
    const listed = await listProjectContainers(await connectEngine(), project.name)
    return notRunning(
      await connectEngine(),
      listed.filter((c) => services.length === 0 || services.includes(c.service)),
    )
  }

  /**
   * Removes the project's stopped containers (of `services`, when given), with their anonymous
   * volumes, as `compose rm -f` does; running ones stay. Resolves with the names removed.
   */
  async rm(
    services: readonly string[] = [],
    { onProgress }: { readonly onProgress?: OnProgress } = {},
  ): Promise<string[]> {
    const engine = await connectEngine()
    const { name } = this.load().project
    const stopped = await this.stopped(services)
    await withProjectLock(engine, name, { action: 'rm', onWait: this.busy(name) }, () =>
      Promise.all(
        stopped.map((c) =>
          reported(onProgress, containerId(c.name), ['Removing', 'Removed'], () => deleteContainer(engine, c.id)),
        ),
      ),
    )
    return stopped.map((c) => c.name)
  }

  /** Stops the project's containers (or only those of `services`), dependents first, keeping them and the networks. */
  async stop(options?: StopOptions): Promise<void> {
    await this.change('stop', options ?? {})
  }

  /** Starts the project's stopped containers (or those of `services`), dependencies first. */
  async start(options?: Pick<StopOptions, 'services' | 'onProgress'>): Promise<void> {
    await this.change('start', options ?? {})
  }

  /** Restarts the services (all when none is named) and their `restart: true` dependents, as Compose v2 does. */
  async restart(options?: RestartOptions): Promise<void> {
    await this.change('restart', options ?? {})
  }

  /**
   * Removes whatever the engine has of this project, whether or not this process started it; with
   * `services`, only those services' containers (for a project known by its name alone, those of
   * the services that depend on them too, as Compose v2 does), then the project's networks (and
   * with `volumes`, named volumes) that nothing uses any more.
   */
  async down(options?: DownOptions): Promise<void> {
    // The project name is all down needs: what to remove comes from the engine's labels (and the
    // default image names, from the separator `--compatibility` chooses: see `change`).
    await this.change('down', { ...options, ...(this.knownByName && { withDependents: true }) })
  }

  /** A project action under the project's lock, once the services named (if any) are known to be the project's. */
  private async change<A extends ProjectAction>(
    action: A,
    options: ProjectActionOptions[A] & { readonly services?: readonly string[] },
  ): Promise<void> {
    const loaded = this.enabling(options.services).load()
    const { project } = loaded
    checkServiceNames(project, options.services)
    const engine = await connectEngine()
    if (project.byName && (action === 'start' || action === 'restart'))
      await checkLabelledServices(engine, project.name, action, options.services ?? [])
    await changeProject(
      engine,
      project.name,
      action,
      // The files' hooks for every action; `down` also needs how default image names are joined, and
      // what it weighs of the files (a project known by its name has it from the engine's labels).
      {
        ...options,
        hooks: hooksOf(project),
        ...(project.nameSeparator && { nameSeparator: project.nameSeparator }),
        ...(action === 'down' && !project.byName && downScope(loaded, options.services)),
      },
      this.busy(project.name),
    )
  }

  /** Tells `onBusy` (or `fallback`) who holds the project while this run waits. */
  private busy(project: string, fallback?: (message: string) => void): (holder: LockHolder) => void {
    const tell = this.settings.onBusy ?? fallback
    return (holder) =>
      tell?.(
        `project "${project}" is being changed by another compose-harness run (process ${holder.pid}, ${holder.action}): waiting for it to finish`,
      )
  }
}

/** Where an `up` is recorded for the report, when one is asked for. */
interface Recording {
  readonly dir: string
  readonly timeline: Timeline
}

function recordingOf(report: UpOptions['report']): Recording | undefined {
  const dir = reportDirectory(report)
  return dir === undefined ? undefined : { dir, timeline: new Timeline() }
}

/** `up`'s options, with what converge does also put on the report's timeline. */
function recorded<O extends { readonly onEvent?: (e: ConvergeEvent) => void }>(options: O, timeline: Timeline): O {
  return {
    ...options,
    onEvent: (e: ConvergeEvent) => {
      timeline.converged(e)
      options.onEvent?.(e)
    },
  }
}

/** What `up` checks before it reaches the engine: a service to run, names that exist, keys it applies; then it warns. */
function checkUp(
  loaded: LoadedCompose,
  options: Pick<ConvergeOptions, 'services' | 'scale' | 'waitFor' | 'onWarning'>,
): void {
  if (Object.keys(loaded.project.services).length === 0) throw new NoServiceSelectedError(loaded.project)
  checkServiceNames(loaded.project, [
    ...(options.services ?? []),
    ...Object.keys(options.scale ?? {}),
    ...Object.keys(options.waitFor ?? {}),
  ])
  refuseUnapplied(loaded)
  for (const warning of upWarnings(loaded)) options.onWarning?.(warning)
}

/**
 * The error a failed `up` throws: its secrets masked, an engine that went away said so, and, when
 * the up is recorded, its report page written.
 */
function upFailure(
  error: unknown,
  loaded: LoadedCompose,
  services: readonly ServiceSpec[],
  reaper: Reaper | undefined,
  recording: Recording | undefined,
): unknown {
  const redacted = withoutSecrets(error, projectSecrets(loaded.project, services))
  // The engine's own errors while it shuts down ("database not open") say less than that it went away.
  const gone = reaper?.lostBecause !== undefined && !(redacted instanceof EngineGoneError)
  const thrown = gone ? new EngineGoneError(messageOf(redacted), redacted) : redacted
  if (recording) {
    const { name } = loaded.project
    const failure = { test: `up of project ${name}`, errors: [messageOf(thrown)] }
    const html = renderReport({ project: name, failure, timeline: recording.timeline.events })
    writeReportPage(recording.dir, pageName('failed-up', name), html)
  }
  return thrown
}

/** The attestations a build asks for (`attests`), where it asks for any: the flags' over the files' (these with `attestations`). */
function attestsOf(options: BuildSpec['options'], { provenance, sbom, attestations }: BuildOptions) {
  const attests = buildAttests(options, {
    ...(provenance !== undefined && { provenance }),
    ...(sbom !== undefined && { sbom }),
    fromFiles: attestations ?? false,
  })
  return Object.keys(attests).length > 0 ? { attests } : {}
}

/** A build's options with `--ssh` entries after its own `ssh` (a mapping written as `ID=PATH` items), as Compose v2 appends them. */
function withSsh(options: BuildSpec['options'], added: readonly string[]): BuildSpec['options'] {
  const own = options.ssh
  const written = Array.isArray(own)
    ? own.map(String)
    : isMapping(own)
      ? Object.entries(own).map(([id, path]) => (typeof path === 'string' && path !== '' ? `${id}=${path}` : id))
      : []
  return { ...options, ssh: [...written, ...added] }
}

/**
 * `start` and `restart` of a project known by its name alone: Compose v2 makes its project of the
 * containers' labels and refuses a service none of them carries, in its words for each command.
 */
async function checkLabelledServices(
  engine: Engine,
  project: string,
  action: 'start' | 'restart',
  services: readonly string[],
): Promise<void> {
  const labelled = new Set((await listProjectContainers(engine, project)).map((c) => c.service))
  const missing = services.find((s) => !labelled.has(s))
  if (missing === undefined) return
  throw new UnknownServiceError(
    missing,
    project,
    action === 'start' ? `no such service: "${missing}": not found` : `no such service: ${missing}`,
  )
}
