import { createHash } from 'node:crypto'
import { isRemoteContext } from '../../model/fields/service-fields.js'
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path'
import { createRequire } from 'node:module'
import { Readable } from 'node:stream'
import type { BuildSettings, BuildSpec, ComposeProject, ServiceSpec } from '../../model/project/types.js'
import { buildSecrets, secretContents, type BuildSecret } from './build-secrets.js'
import {
  ATTESTATION_REFUSAL,
  type CacheEntry,
  cacheExports,
  cacheImportEntries,
  cacheImports,
  ControlRefusal,
  defaultAttestations,
  frontendAttrs,
  inlineCacheAsked,
  MULTI_PLATFORM_REFUSAL,
  type LocalCache,
  multiPlatformBuilds,
  openControl,
  otherCacheImports,
  remoteCacheCaps,
  type RemoteCacheCaps,
} from './build-control.js'
import { namedContexts, type NamedContexts } from './build-contexts.js'
import type { SyncedDir } from './build-context-sync.js'
import { openBuildSession, type BuildSession } from './build-session.js'
import { BuildSshError, buildSshAgents, sshAgentEndpoints } from './build-ssh.js'
import { dialEngine, isDryRun, type Engine } from '../engine/engine.js'
import { BuildkitProgress, type BuildStatus, decodeStatus } from './buildkit-status.js'
import { splitImageReference } from './image-reference.js'
import { allRegistryAuths, type RegistryAuth } from './registry-auth.js'
import { imageLabels } from '../engine/labels.js'
import { builtHere } from './built-here.js'
import { ClassicOutput } from './classic-output.js'
import { isPodman } from '../engine/podman.js'
import { hasContainerdImageStore } from '../engine/image-store.js'
import { engineApiVersion } from '../engine/engine-version.js'
import { tagLocalCache } from './local-cache-export.js'
import { localCacheImports, resolveLocalCache, type LocalCacheImport } from './local-cache.js'
import { messageOf, registryUnreachable, ServiceStartError, SettingError } from '../engine/runtime-errors.js'
import { ImageLookup } from './image-lookup.js'

// A CommonJS module whose typings claim an ES default export: load it as what it is.
const dockerignore = createRequire(import.meta.url)(
  '@balena/dockerignore',
) as typeof import('@balena/dockerignore').default

/** `always`: build every service that has a `build` (`up --build`); `missing`: only where its image is absent (Compose's default). */
export type BuildPolicy = 'always' | 'missing' | 'never'

/** What a build is doing: it started, it is at a Dockerfile step, it is done. */
export type BuildEvent =
  | { readonly service: string; readonly kind: 'building'; readonly builder?: Builder }
  | { readonly service: string; readonly kind: 'step'; readonly line: string }
  /** A line the classic builder wrote (its steps included), as Compose v2 prints them under `--progress plain`. */
  | { readonly service: string; readonly kind: 'output'; readonly line: string }
  /** One of BuildKit's status messages, decoded: for a printer that shows them as BuildKit's own does. */
  | { readonly service: string; readonly kind: 'status'; readonly status: BuildStatus }
  | { readonly service: string; readonly kind: 'built'; readonly ms: number }

/** How many lines of a failing build's output its error shows. */
const OUTPUT_LINES = 15

/** `buildkit`: the engine's BuildKit (its build API's `version=2`); `classic`: its older builder. */
export type Builder = 'buildkit' | 'classic'

/**
 * Pure: the builder, as Compose v2 chooses it: BuildKit, unless DOCKER_BUILDKIT says false (as Go
 * reads a boolean: `0`, `f`, `false`, …) or the engine has no BuildKit (Podman builds with Buildah).
 */
export function chooseBuilder(env: NodeJS.ProcessEnv, engineHasBuildkit: boolean): Builder {
  const asked = env.DOCKER_BUILDKIT?.trim()
  if (asked !== undefined && /^(0|f|false)$/i.test(asked)) return 'classic'
  return engineHasBuildkit ? 'buildkit' : 'classic'
}

/**
 * Pure: what a run says once when it builds with the classic builder without being asked to
 * (`DOCKER_BUILDKIT=0` asks): the engine has no BuildKit, and what that leaves out.
 */
export function builderNotice(env: NodeJS.ProcessEnv, engineHasBuildkit: boolean): string | undefined {
  if (engineHasBuildkit || chooseBuilder(env, true) === 'classic') return undefined
  return 'this engine has no BuildKit (Podman builds with Buildah): images are built with its classic builder, without RUN --mount, build secrets or ssh'
}

/**
 * Builds the images of the services that have a `build`, several at once, each tag once, with the
 * engine's BuildKit (see `chooseBuilder`), in an order where an image another build takes as a
 * context comes first. Built images stay: they are the build cache of the next run, not garbage.
 * The engine's build API is used directly (BuildKit's control API for what it has no parameter
 * for), not testcontainers' builder, because that one discards the build's output (and, when an
 * older image has the tag, reports a failed build as a success).
 */
export async function buildImages(
  engine: Engine,
  project: ComposeProject,
  services: readonly ServiceSpec[],
  policy: BuildPolicy,
  onBuild?: (event: BuildEvent) => void,
  /** At most this many builds at once (`--parallel`); as many as the machine has cores, up to 4, when absent. */
  parallel?: number,
  images = new ImageLookup(engine),
): Promise<void> {
  if (policy === 'never') return
  const builds = await buildsWanted(images, services, policy)
  const hasBuildkit = !(await isPodman(engine))
  const builder = chooseBuilder(process.env, hasBuildkit)
  if (builder === 'buildkit') await refuseBeyondOwnBuilder(engine, builds)
  const queue = contextsFirst(builds, project)
  let notice = builderNotice(process.env, hasBuildkit)
  /** Each build's end (or its being skipped), by image: what a `service:NAME` context waits for. */
  const ended = new Map(queue.map((service) => [service.image, settled()]))
  const worker = async (): Promise<void> => {
    for (let service = queue.shift(); service; service = queue.shift()) {
      try {
        await buildOne(service)
      } finally {
        for (const name of [service.image, ...(service.build!.settings.tags ?? [])]) images.forget(name)
        ended.get(service.image)!.resolve()
      }
    }
  }
  const buildOne = async (service: ServiceSpec): Promise<void> => {
    const started = Date.now()
    onBuild?.({ service: service.name, kind: 'building', builder })
    // Said once a run, with the first build.
    if (notice) onBuild?.({ service: service.name, kind: 'step', line: notice })
    notice = undefined
    if (isDryRun(engine)) {
      // A dry run builds nothing: the image is written and named as v2's dry run shows it, and the build ends there.
      for (const line of dryRunBuildLines(service)) onBuild?.({ service: service.name, kind: 'step', line })
      onBuild?.({ service: service.name, kind: 'built', ms: Date.now() - started })
      return
    }
    const contexts = namedContexts(service.build!, project)
    // A `service:NAME` context is that service's image: built first, as Compose v2 builds in dependency order.
    for (const name of contexts.services) await ended.get(project.services[name]?.image ?? '')?.promise
    await buildImage(engine, service.name, service.image, asComposeBuilds(project.name, service, builder), {
      onStep: (line) => onBuild?.({ service: service.name, kind: 'step', line }),
      onOutput: (line) => onBuild?.({ service: service.name, kind: 'output', line }),
      onStatus: (status) => onBuild?.({ service: service.name, kind: 'status', status }),
      secrets: buildSecrets(service.build!, project.secrets),
      contexts,
    })
    onBuild?.({ service: service.name, kind: 'built', ms: Date.now() - started })
  }
  const width = parallel !== undefined && parallel > 0 ? parallel : Math.max(1, Math.min(availableParallelism(), 4))
  await Promise.all(Array.from({ length: width }, worker))
}

/** The services whose image `policy` has built (each image once): every one under `always`, else those missing or `pull_policy: build`. */
async function buildsWanted(
  images: ImageLookup,
  services: readonly ServiceSpec[],
  policy: BuildPolicy,
): Promise<ServiceSpec[]> {
  const byImage = new Map<string, ServiceSpec>()
  for (const service of services) if (service.build && !byImage.has(service.image)) byImage.set(service.image, service)
  const wanted = await Promise.all(
    [...byImage.values()].map(
      async (s) => policy === 'always' || s.run.pullPolicy === 'build' || !(await images.has(s.image)),
    ),
  )
  return [...byImage.values()].filter((_, i) => wanted[i])
}

/** Pure: what Compose v2's dry run shows of a build: the image written (`dryRun-` and the SHA-1 of the service's name) and named. */
export function dryRunBuildLines({ name, image }: Pick<ServiceSpec, 'name' | 'image'>): string[] {
  const id = `dryRun-${createHash('sha1').update(name).digest('hex')}`
  return [`writing image ${id}`, `naming to ${image}`].map((line) => ` ${name} ==> ==> ${line} `)
}

/** Pure: the entitlements a build asks BuildKit for: its `entitlements`, and `security.insecure` for `privileged`, as Compose v2 asks. */
export function buildEntitlements(build: BuildSpec): string[] {
  const written = Array.isArray(build.options.entitlements) ? build.options.entitlements.map(String) : []
  return [...new Set([...written, ...(build.options.privileged === true ? ['security.insecure'] : [])])]
}

/** A promise and what settles it. */
function settled(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined
  const promise = new Promise<void>((r) => (resolve = r))
  return { promise, resolve }
}

/**
 * Pure: the builds in an order where a service whose `additional_contexts` names another's image
 * (`service:NAME`) comes after it, the others as they were; a cycle keeps the order written.
 */
export function contextsFirst(services: readonly ServiceSpec[], project: ComposeProject): ServiceSpec[] {
  const ordered: ServiceSpec[] = []
  const visiting = new Set<string>()
  const visit = (service: ServiceSpec) => {
    if (ordered.includes(service) || visiting.has(service.name)) return
    visiting.add(service.name)
    for (const name of namedContexts(service.build!, project).services) {
      const dependency = services.find((s) => s.name === name)
      if (dependency) visit(dependency)
    }
    ordered.push(service)
  }
  services.forEach(visit)
  return ordered
}

/**
 * The service's build as Compose v2 builds it: for the service's `platform` when `build.platforms`
 * names none, and with the labels v2 gives the images it builds (project, service, version; the
 * classic builder's only `com.docker.compose.image.builder=classic`).
 */
function asComposeBuilds(project: string, { name, build, run }: ServiceSpec, builder: Builder): BuildSpec {
  const platforms =
    build!.settings.platforms?.length || run.platform === undefined ? build!.settings.platforms : [run.platform]
  // The classic builder's images say so, and only that, as Compose v2 labels them.
  const labels = builder === 'classic' ? { 'com.docker.compose.image.builder': 'classic' } : imageLabels(project, name)
  return {
    ...build!,
    settings: { ...build!.settings, ...(platforms && { platforms }), labels: { ...build!.settings.labels, ...labels } },
  }
}

/**
 * BuildKit's builds refused before anything is built, as Compose v2 refuses them where the engine's
 * image store keeps one platform an image, and no attestation: several platforms, and attestations.
 * (The classic builder refuses several platforms in words of its own, classicRefusal, and takes no
 * attestations.)
 */
async function refuseBeyondOwnBuilder(engine: Engine, builds: readonly ServiceSpec[]): Promise<void> {
  const severalPlatforms = multiPlatformBuilds(builds).length > 0
  const attested = builds.some((s) => Object.keys(s.build?.settings.attests ?? {}).length > 0)
  if ((!severalPlatforms && !attested) || (await hasContainerdImageStore(engine))) return
  throw new SettingError(severalPlatforms ? MULTI_PLATFORM_REFUSAL : ATTESTATION_REFUSAL)
}

/** What a build is given besides its `build` section. */
export interface BuildExtras {
  /** Hears each step as it starts. */
  readonly onStep?: (line: string) => void
  /** Hears each line the classic builder writes, its steps included, and the context's upload (`Sending build context …`). */
  readonly onOutput?: (line: string) => void
  /** Hears each of BuildKit's status messages, decoded. */
  readonly onStatus?: (status: BuildStatus) => void
  readonly secrets?: readonly BuildSecret[]
  /** Its `additional_contexts`, resolved against the project (build-contexts.ts). */
  readonly contexts?: NamedContexts
}

export async function buildImage(
  engine: Engine,
  service: string,
  image: string,
  build: BuildSpec,
  { onStep, onOutput, secrets = [], contexts, onStatus }: BuildExtras = {},
): Promise<void> {
  const fail = (detail: string, cause?: unknown): ServiceStartError =>
    new ServiceStartError({ service, phase: 'build', image }, detail, cause === undefined ? undefined : { cause })
  const builder = chooseBuilder(process.env, !(await isPodman(engine)))
  const facts = {
    containerdStore: await hasContainerdImageStore(engine),
    caps: remoteCacheCaps(await engineApiVersion(engine)),
  }
  const plan = planBuild(build, secrets, contexts, builder, facts, fail)
  const log = new BuildLog(plan.builder, onStep, onStatus, onOutput)
  try {
    await runBuild(engine, image, build, plan, { secrets, contexts }, log)
  } catch (cause) {
    log.error ??= messageOf(cause)
  }
  if (log.error !== undefined) throw fail(failureDetail(build, plan, log, log.error))
  // Its image has no project label (as v2 gives the classic builder's): a throwaway project knows it by its id.
  if (plan.builder === 'classic') builtHere(image, (await engine.container.dockerode.getImage(image).inspect()).Id)
  for (const reference of build.settings.tags ?? []) {
    const { repository, tag = 'latest' } = splitImageReference(reference)
    await engine.container.dockerode.getImage(image).tag({ repo: repository, tag })
  }
}

/** What a build is, decided before it starts; anything that cannot be built is refused here, with the reason. */
interface BuildPlan {
  /** A git or tarball URL, which the engine fetches itself. */
  readonly remote: boolean
  readonly inline: string | undefined
  readonly sent: ReturnType<typeof dockerfileSent>
  readonly builder: 'buildkit' | 'classic'
  readonly sshAgents: ReturnType<typeof sshAgentEndpoints>
  readonly entitlements: string[]
  /** `cache_to`, as BuildKit exports it; a local directory written through the session's content store. */
  readonly caches: readonly CacheEntry[]
  /** `cache_from: type=local` entries: read from the client through the session's content store. */
  readonly localCaches: readonly LocalCacheImport[]
  /** `cache_from` of other kinds than images and local directories, handed to BuildKit as buildx hands them. */
  readonly otherCaches: readonly CacheEntry[]
  /** Whether the build goes through BuildKit's control API: for what the build API has no parameter for (several platforms among it), and every build on containerd's image store. */
  readonly viaControl: boolean
  /** Whether it asks for buildx's default attestations, as v2's builds on containerd's image store do. */
  readonly attest: boolean
}

function planBuild(
  build: BuildSpec,
  secrets: readonly BuildSecret[],
  contexts: NamedContexts | undefined,
  builder: 'buildkit' | 'classic',
  /**
   * `containerdStore`: the engine keeps its images in containerd's image store (every BuildKit build
   * through the control API, with v2's attestations; caches of every kind exported); `caps`: the
   * kinds of remote cache its BuildKit announces.
   */
  { containerdStore, caps }: { readonly containerdStore: boolean; readonly caps: RemoteCacheCaps },
  fail: (detail: string) => ServiceStartError,
): BuildPlan {
  const remote = isRemoteContext(build.context)
  if (!remote && (!existsSync(build.context) || !statSync(build.context).isDirectory()))
    throw fail(`the build context ${build.context} is not a directory`)
  const inline = build.settings.dockerfileInline
  if (remote && inline !== undefined)
    throw fail('dockerfile_inline needs a local build context: the engine fetches a remote one itself')
  const sent = dockerfileSent(build, remote)
  if (sent.path !== undefined && !existsSync(sent.path)) throw fail(`there is no Dockerfile at ${sent.path}`)
  const ssh = buildSshAgents(build)
  const classic = builder === 'classic'
  const refusal = classic ? classicRefusal(build, ssh.length > 0, secrets.length > 0) : undefined
  if (refusal) throw fail(refusal)
  // The classic builder takes neither entitlements nor caches: Compose v2 hands it none.
  const entitlements = classic ? [] : buildEntitlements(build)
  const { caches, localCaches, otherCaches } = classic
    ? { caches: [], localCaches: [], otherCaches: [] }
    : planCaches(build, { containerdStore, caps }, fail)
  const needsControl =
    Object.keys(contexts?.attrs ?? {}).length > 0 ||
    entitlements.length > 0 ||
    multiPlatformBuilds([{ build }]).length > 0 ||
    caches.length + localCaches.length + otherCaches.length > 0
  const viaControl = needsControl || (builder === 'buildkit' && containerdStore)
  const missing = secrets.find((secret) => secret.file !== undefined && !existsSync(secret.file))
  if (missing) throw fail(`the build secret "${missing.id}" is the file ${missing.file}, which does not exist`)
  const sshAgents = refusedAs(BuildSshError, fail, () => sshAgentEndpoints(ssh, process.env))
  return {
    remote,
    inline,
    sent,
    builder,
    sshAgents,
    entitlements,
    caches,
    localCaches,
    otherCaches,
    viaControl,
    attest: containerdStore,
  }
}

/**
 * Pure: why the classic builder cannot build `build`, in Compose v2's words, checked in its order:
 * several platforms, privileged, additional contexts, ssh, secrets. Undefined where it can.
 */
export function classicRefusal(build: BuildSpec, hasSsh: boolean, hasSecrets: boolean): string | undefined {
  const lacks = (what: string) => `the classic builder doesn't support ${what}, set DOCKER_BUILDKIT=1 to use BuildKit`
  if (multiPlatformBuilds([{ build }]).length > 0) return lacks('multi-arch build')
  if (build.options.privileged === true) return lacks('privileged mode')
  const contexts = build.options.additional_contexts
  if (contexts && typeof contexts === 'object' && Object.keys(contexts).length > 0) return lacks('additional contexts')
  if (hasSsh) return lacks('SSH keys')
  if (hasSecrets) return lacks('secrets')
  return undefined
}

/** The caches a build exports and imports, as buildx hands them to the engine's BuildKit for Compose v2. */
function planCaches(
  build: BuildSpec,
  { containerdStore, caps }: { readonly containerdStore: boolean; readonly caps: RemoteCacheCaps },
  fail: (detail: string) => ServiceStartError,
): Pick<BuildPlan, 'caches' | 'localCaches' | 'otherCaches'> {
  return {
    caches: refusedAs(ControlRefusal, fail, () =>
      cacheExports(build, { containerdStore, caps, env: process.env, cwd: process.cwd() }),
    ),
    localCaches: localCacheImports(build.settings.cacheFrom),
    otherCaches: otherCacheImports(build.settings.cacheFrom, caps, process.env),
  }
}

/** `work()`, with an error of class `refusal` turned into the build's own failure, with its message. */
function refusedAs<T>(
  refusal: new (...args: never[]) => Error,
  fail: (detail: string) => ServiceStartError,
  work: () => T,
): T {
  try {
    return work()
  } catch (cause) {
    throw cause instanceof refusal ? fail(cause.message) : cause
  }
}

/** What a build wrote as it ran: every line, the step it was at, and the engine's error if it failed. */
class BuildLog {
  readonly output: string[] = []
  step = ''
  error: string | undefined
  /** BuildKit's status, decoded as it comes; none with the classic builder. */
  readonly buildkit: BuildkitProgress | undefined

  constructor(
    builder: 'buildkit' | 'classic',
    private readonly onStep: ((line: string) => void) | undefined,
    private readonly onStatus: ((status: BuildStatus) => void) | undefined,
    /** The classic builder's lines, as it wrote them. */
    readonly onOutput?: (line: string) => void,
  ) {
    this.buildkit = builder === 'buildkit' ? new BuildkitProgress() : undefined
  }

  /** A line of output; a step's first line is also the step the build is at. */
  line(text: string, isStep: boolean): void {
    if (isStep) {
      this.step = text
      this.onStep?.(text)
    }
    this.output.push(text)
  }

  /** One of BuildKit's status messages, as the lines it means. */
  status(message: string | Uint8Array): void {
    const status = decoded(message)
    if (!status) return
    this.onStatus?.(status)
    for (const line of this.buildkit!.update(status)) this.line(line, true)
    for (const warning of status.warnings ?? []) this.line(`WARN: ${warning.short}`, false)
  }
}

/**
 * Runs the build as planned. BuildKit asks this process for the context, the Dockerfile and secrets
 * through a session of its own, open for the build; the classic builder takes the context as a tar
 * archive. A remote context (git, or a tarball's URL) is fetched by the engine itself, as
 * `docker build URL` has it do. What the build writes goes to `log`; an engine error is `log.error`.
 */
async function runBuild(
  engine: Engine,
  image: string,
  build: BuildSpec,
  plan: BuildPlan,
  { secrets, contexts }: { readonly secrets: readonly BuildSecret[]; readonly contexts: NamedContexts | undefined },
  log: BuildLog,
): Promise<void> {
  const { remote, inline, sent } = plan
  const { buildkit } = log
  const synced = buildkit && !remote ? syncedDirs(build.context, sent, inline) : undefined
  const context = remote || synced ? undefined : await contextTar(build.context, sent, inline)
  const localCaches = resolvedLocalCaches(plan.localCaches, (warning) => log.line(warning, true))
  await using session = buildkit
    ? await sessionFor(engine, build, plan, {
        secrets,
        contexts,
        synced,
        localCaches,
        localExports: localExports(plan),
      })
    : undefined
  const dockerfile = synced?.dockerfile ?? sent.name
  if (session && plan.viaControl) {
    await solveThroughControl(engine, session.id, { image, build, dockerfile, contexts, plan, localCaches }, log)
    return
  }
  const options = {
    ...(remote && { remote: build.context }),
    ...(synced && { remote: 'client-session' }),
    // forcerm (the classic builder): the container of a failing step goes too; without it every failed build leaves one.
    ...(session ? { version: '2', session: session.id } : { forcerm: true }),
    t: image,
    dockerfile,
    buildargs: { ...build.args },
    ...(build.target && { target: build.target }),
    ...builderOptions(build.settings, plan.builder),
  }
  // Without a body of its own, the engine's client would send the options as a JSON body, which
  // the engine takes for the context: an empty archive says there is none.
  // The classic builder pulls base images itself, given every registry's credentials (BuildKit asks the session).
  const registries = session ? undefined : await allRegistryAuths()
  // The classic builder's context goes gzipped and its own lines are printed, as v2 sends and prints them.
  const classic = buildkit ? undefined : new ClassicOutput(log.onOutput)
  const upload = classic && context ? classic.upload(context) : context
  const stream = await dialBuild(engine, upload ?? Readable.from([]), options, registries)
  await followBuild(engine, stream, (event) => {
    if (buildkit && event.id === 'moby.buildkit.trace' && typeof event.aux === 'string') log.status(event.aux)
    // The builder's own lines first: a printer that shows them all shows its steps among them.
    classic?.take(event.stream)
    for (const line of (event.stream ?? '').split('\n').filter((l) => l.trim() !== ''))
      log.line(line, /^Step \d+\/\d+ : /.test(line))
    if (event.error) log.error = event.error.trim()
  })
  classic?.end()
}

/**
 * The build through BuildKit's control API, as Compose v2 sends what the build API has no parameter
 * for (named contexts, entitlements, cache exports and imports of every kind, several platforms);
 * the cache's manifest then tagged in each local directory it was written to, as buildx tags it.
 */
async function solveThroughControl(
  engine: Engine,
  session: string,
  {
    image,
    build,
    dockerfile,
    contexts,
    plan,
    localCaches,
  }: {
    readonly image: string
    readonly build: BuildSpec
    readonly dockerfile: string
    readonly contexts: NamedContexts | undefined
    readonly plan: BuildPlan
    readonly localCaches: readonly LocalCache[]
  },
  log: BuildLog,
): Promise<void> {
  await using control = await openControl(engine)
  const imports = cacheImportEntries(build.settings.cacheFrom, localCaches, plan.otherCaches)
  // As buildx asks: BUILDKIT_INLINE_CACHE among the build's args exports an inline cache.
  const inline = inlineCacheAsked(build) && !plan.caches.some((c) => c.type === 'inline')
  const answer = await control.solve(
    {
      session,
      frontendAttrs: controlAttrs(build, dockerfile, contexts, plan, imports),
      tags: [image],
      entitlements: plan.entitlements,
      cacheExports: [...plan.caches, ...(inline ? [{ type: 'inline', attrs: {} }] : [])],
      cacheImports: imports,
    },
    (m) => log.status(m),
  )
  const manifest = answer['cache.manifest']
  if (manifest) for (const { attrs } of localExports(plan)) tagLocalCache(attrs.dest!, manifest, attrs.tag)
}

/** The frontend's attributes of a build through the control API: a remote context, and the attestations v2's builds get on containerd's image store. */
function controlAttrs(
  build: BuildSpec,
  dockerfile: string,
  contexts: NamedContexts | undefined,
  { remote, attest }: BuildPlan,
  imports: readonly CacheEntry[],
): Record<string, string> {
  return {
    ...frontendAttrs(build, dockerfile, contexts?.attrs ?? {}, imports),
    ...(remote && { context: build.context }),
    ...(attest && defaultAttestations(process.env, build.settings.attests)),
  }
}

/** The build's `cache_to: type=local` exports: BuildKit writes them through the session's content store. */
function localExports(plan: BuildPlan): CacheEntry[] {
  return plan.caches.filter((c) => c.type === 'local')
}

/**
 * The local caches a build imports, each with its manifest; one whose directory has none is left
 * out with a warning, as buildx leaves it out for Compose v2.
 */
function resolvedLocalCaches(entries: readonly LocalCacheImport[], warn: (warning: string) => void): LocalCache[] {
  return entries.flatMap((entry) => {
    const resolved = resolveLocalCache(entry)
    if ('skipped' in resolved) {
      warn(`WARNING: ${resolved.skipped}`)
      return []
    }
    return [{ src: entry.src, digest: resolved.digest }]
  })
}

/** The build's session: its context and named contexts, secrets, ssh agents and local caches. */
function sessionFor(
  engine: Engine,
  build: BuildSpec,
  plan: BuildPlan,
  parts: {
    readonly secrets: readonly BuildSecret[]
    readonly contexts: NamedContexts | undefined
    readonly synced: { readonly dirs: ReadonlyMap<string, SyncedDir> } | undefined
    readonly localCaches: readonly LocalCache[]
    readonly localExports: readonly CacheEntry[]
  },
): Promise<BuildSession> {
  // Each directory a cache is exported to is made first, as buildx makes it.
  for (const { attrs } of parts.localExports) mkdirSync(attrs.dest!, { recursive: true })
  return openBuildSession(engine, {
    secrets: secretContents(parts.secrets),
    sshAgents: plan.sshAgents,
    dirs: new Map(
      [...(parts.synced?.dirs ?? []), ...(parts.contexts?.dirs ?? [])].map(([k, v]) => [
        k,
        typeof v === 'string' ? { root: v } : v,
      ]),
    ),
    contentStores: new Map([
      ...parts.localCaches.map(({ src }) => [`local:${src}`, src] as const),
      ...parts.localExports.map(({ attrs }) => [`local:${attrs.dest}`, attrs.dest!] as const),
    ]),
    sharedKey: build.context,
  })
}

/** One message of the build API's stream: a classic step's output, BuildKit's status (`aux`), or the error. */
interface BuildStreamEvent {
  readonly id?: string
  readonly aux?: unknown
  readonly stream?: string
  readonly error?: string
}

/** Reads the build API's stream to its end, each message to `onEvent`. */
function followBuild(
  engine: Engine,
  stream: NodeJS.ReadableStream,
  onEvent: (event: BuildStreamEvent) => void,
): Promise<void> {
  return new Promise<void>((done, reject) => {
    engine.container.dockerode.modem.followProgress(
      stream,
      (err: Error | null) => (err ? reject(err) : done()),
      onEvent,
    )
  })
}

/** A failed build as the user reads it: the step that failed, why, and that step's last lines. */
function failureDetail(build: BuildSpec, plan: BuildPlan, log: BuildLog, error: string): string {
  // BuildKit names the step that failed and keeps that step's own output; the classic builder's is the whole build's.
  const failed = log.buildkit?.failure()
  const failedStep = failed?.step ?? log.step
  const tail = (failed ? failed.output : log.output)
    .slice(-OUTPUT_LINES)
    .map((l) => `  ${l}`)
    .join('\n')
  const frontend = plan.remote ? undefined : syntaxDirective(plan.inline ?? readFileSync(plan.sent.path!, 'utf8'))
  return `${failedStep ? `${failedStep}\n` : ''}${explainBuildError(error, frontend, failedStep)}${tail ? `\nbuild output:\n${tail}` : ''}`
}

/**
 * POST /build with `options` as its query and the context as its body (dockerode's buildImage,
 * without its own session); `registries`' credentials in its X-Registry-Config header.
 */
function dialBuild(
  engine: Engine,
  context: NodeJS.ReadableStream | undefined,
  options: Record<string, unknown>,
  registries?: Record<string, RegistryAuth>,
): Promise<NodeJS.ReadableStream> {
  return dialEngine(engine, {
    path: '/build?',
    method: 'POST',
    options: Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
    ...(registries && { registryconfig: registries }),
    file: context,
    isStream: true,
    statusCodes: { 200: true, 500: 'server error' },
  })
}

/** A BuildKit status message decoded; undefined for one that does not decode, which shows nothing (the build goes on). */
function decoded(aux: string | Uint8Array): BuildStatus | undefined {
  try {
    return decodeStatus(aux)
  } catch (error) {
    if (error instanceof RangeError) return undefined
    throw error
  }
}

/**
 * A base image that cannot be pulled is the usual failure on machines without a registry: say so.
 * Where the Dockerfile's `# syntax=` line names a frontend image that could not be had, say that.
 */
function explainBuildError(error: string, frontend?: string, step = ''): string {
  if (
    frontend &&
    `${step}\n${error}`.includes(frontend.replace(/^docker\.io\//, '')) &&
    /resolve|pull|registry|lookup|dial/i.test(error)
  ) {
    return `the Dockerfile's \`# syntax=${frontend}\` line asks for that frontend image, which could not be pulled: ${error}\n(load the image into the engine, or remove the line: the engine's BuildKit has a Dockerfile frontend of its own)`
  }
  // `pull access denied`: the base image is not there and the engine tried a registry for it.
  if (registryUnreachable(error) || /pull access denied/i.test(error)) {
    return `${error}\n(a base image is missing and no registry was reachable to pull it: build or load it first, e.g. \`npm run provision\`)`
  }
  return error
}

/** Pure: the image a Dockerfile's `# syntax=IMAGE` directive names (a comment among the first lines, before any instruction). */
export function syntaxDirective(dockerfile: string): string | undefined {
  for (const line of dockerfile.split('\n')) {
    const directive = /^\s*#\s*syntax\s*=\s*(\S+)\s*$/i.exec(line)
    if (directive) return directive[1]
    if (!/^\s*(#.*)?$/.test(line)) return undefined
  }
  return undefined
}

/** The Dockerfile of a build, as the context sent to the engine holds it. */
export interface SentDockerfile {
  /** Its name in the context. */
  readonly name: string
  /** The file on this machine; none for `dockerfile_inline`, or a remote context's own. */
  readonly path?: string
  /** Added to the context under `name`: an inline Dockerfile, or one that lies outside the context. */
  readonly added?: boolean
}

/**
 * Pure: where the build's Dockerfile is and under which name the engine finds it.
 * `dockerfile: ${UNSET}` is empty: the default, as Compose v2 builds it. A `dockerfile_inline`, and
 * a Dockerfile outside the context (`dockerfile: ../other.Dockerfile`, which Compose v2 builds), are
 * added to the context under a name of their own, as the Docker CLI adds the latter.
 */
export function dockerfileSent(build: BuildSpec, remote: boolean): SentDockerfile {
  if (build.settings.dockerfileInline !== undefined) return { name: '.compose-harness.inline.Dockerfile', added: true }
  const name = build.dockerfile || 'Dockerfile'
  if (remote) return { name }
  const path = resolve(build.context, name)
  const inside = relative(build.context, path)
  if (inside.startsWith('..') || isAbsolute(inside))
    return { name: `.compose-harness.${basename(path)}`, path, added: true }
  return { name: inside, path }
}

/**
 * Pure: what a build session serves BuildKit for a local context, as the Docker CLI's own build
 * session does: the context directory (`context`), and the Dockerfile's directory (`dockerfile`)
 * with the Dockerfile's name in it; an inline Dockerfile is served as that directory's only file.
 * BuildKit applies the ignore files itself, as it does for Compose v2.
 */
export function syncedDirs(
  context: string,
  sent: SentDockerfile,
  inline?: string,
): { dirs: Map<string, SyncedDir>; dockerfile: string } {
  const dockerfile = inline !== undefined ? 'Dockerfile' : basename(sent.path!)
  const dockerfileDir: SyncedDir =
    inline !== undefined ? { files: { Dockerfile: inline } } : { root: dirname(sent.path!) }
  return {
    dirs: new Map([
      ['context', { root: context }],
      ['dockerfile', dockerfileDir],
    ]),
    dockerfile,
  }
}

/**
 * The ignore file of a build, as BuildKit reads it: the Dockerfile's own (`NAME.dockerignore` beside
 * it) where there is one, else the context's `.dockerignore`; undefined when there is neither.
 */
export function ignoreFileOf(context: string, dockerfilePath: string | undefined): string | undefined {
  const own = dockerfilePath !== undefined ? `${dockerfilePath}.dockerignore` : undefined
  return [own, join(context, '.dockerignore')].find((f) => f !== undefined && existsSync(f))
}

/**
 * The build context as the engine wants it, without what the ignore file excludes (the Dockerfile
 * is always sent). The ignore file is the Dockerfile's own (`NAME.dockerignore` beside it) where
 * there is one, as BuildKit reads it, else the context's `.dockerignore`. A Dockerfile added to the
 * context is hidden from the build's `COPY`/`ADD` as the Docker CLI hides it: the context's
 * `.dockerignore` sent with one more line naming it (and naming itself, where the context had none).
 */
async function contextTar(
  context: string,
  dockerfile: SentDockerfile,
  inline?: string,
): Promise<NodeJS.ReadableStream> {
  const { pack } = await import('../engine/engine-libraries.js')
  const ignoreFile = ignoreFileOf(context, dockerfile.path)
  const rules = ignoreFile ? dockerignore({ ignorecase: false }).add(readFileSync(ignoreFile, 'utf8')) : undefined
  const keep = new Set([dockerfile.name, '.dockerignore'])
  const added = dockerfile.added ? (inline ?? readFileSync(dockerfile.path!, 'utf8')) : undefined
  const contextIgnore = join(context, '.dockerignore')
  const hasIgnore = existsSync(contextIgnore)
  return pack(context, {
    ignore: (name: string) => {
      const rel = relative(context, name)
      // The context's own .dockerignore is replaced, below, where a Dockerfile is added.
      if (added !== undefined && rel === '.dockerignore') return true
      return rules !== undefined && !keep.has(rel) && rules.ignores(rel)
    },
    ...(added !== undefined && {
      finalize: false,
      finish: (archive: { entry: (header: { name: string }, content: string) => void; finalize: () => void }) => {
        archive.entry({ name: dockerfile.name }, added)
        const ignored = hasIgnore ? `${readFileSync(contextIgnore, 'utf8')}\n` : '/.dockerignore\n'
        archive.entry({ name: '.dockerignore' }, `${ignored}/${dockerfile.name}\n`)
        archive.finalize()
      },
    }),
  })
}

/** The build's settings as the engine's build API takes them (its query: lists and maps as JSON). */
export function builderOptions(
  s: BuildSettings,
  builder: 'buildkit' | 'classic' = 'buildkit',
): Record<string, unknown> {
  // Compose v2 hands the classic builder neither caches, a shared memory size, ulimits nor a platform.
  const buildkit = builder === 'buildkit'
  const options: Record<string, unknown> = {
    labels: s.labels && { ...s.labels },
    cachefrom: buildkit && s.cacheFrom ? JSON.stringify(cacheImports(s.cacheFrom)) : undefined,
    networkmode: s.network,
    shmsize: buildkit ? s.shmSizeBytes : undefined,
    memory: s.memoryBytes,
    nocache: s.noCache,
    pull: s.pull,
    platform: buildkit ? s.platforms?.[0] : undefined,
    isolation: s.isolation,
    extrahosts:
      s.extraHosts &&
      Object.entries(s.extraHosts)
        .flatMap(([host, ips]) => ips.map((ip) => `${host}:${ip}`))
        .join(','),
    ulimits:
      buildkit && s.ulimits
        ? JSON.stringify(Object.entries(s.ulimits).map(([Name, { soft, hard }]) => ({ Name, Soft: soft, Hard: hard })))
        : undefined,
  }
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined))
}
