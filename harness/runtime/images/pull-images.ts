import type { PullPolicy, ServiceSpec } from '../../model/project/types.js'
import { imageExists, ImageLookup } from './image-lookup.js'
import { presentSkipsPull, splitImageReference } from './image-reference.js'
import { mapLimited } from './limited.js'
import { imageAuth } from './registry-auth.js'
import type { Engine } from '../engine/engine.js'
import { registryUnreachable, ServiceStartError } from '../engine/runtime-errors.js'
import type { OnProgress, ProgressEvent } from '../engine/progress-events.js'

/** `up --pull`'s policies: over every service's own `pull_policy`. */
export type PullOverride = 'always' | 'missing' | 'never' | 'build'
export const PULL_OVERRIDES: readonly PullOverride[] = ['always', 'missing', 'never', 'build']

/** A service's pull policy: `--pull` when given, else its `pull_policy`, else `missing`. */
export function pullPolicyOf(service: ServiceSpec, override?: PullPolicy): PullPolicy {
  const policy = override ?? service.run.pullPolicy ?? 'missing'
  return policy === 'if_not_present' ? 'missing' : policy
}

/**
 * What `up` pulls before it builds or creates anything, as Compose v2 does: an image whose policy
 * is `always`, and a missing image that the file names (policy `missing`); the default name of an
 * image that a service builds is never pulled. A pull that fails stops `up` with the reason,
 * unless the service can build the image instead. A missing image that `never` forbids pulling,
 * and that nothing builds, fails at once too.
 */
export async function pullImages(
  engine: Engine,
  services: readonly ServiceSpec[],
  override?: PullOverride,
  /** At most this many pulls at once (`--parallel`); all at once when absent. */
  parallel?: number,
  images = new ImageLookup(engine),
): Promise<void> {
  const builds = new Set(services.filter((s) => s.build).map((s) => s.image))
  const byImage = new Map<string, ServiceSpec>()
  for (const service of services)
    if (!byImage.has(service.image) && (!service.build || service.declared.includes('image')))
      byImage.set(service.image, service)
  await mapLimited([...byImage], parallel, async ([image, service]) => {
    const policy = pullPolicyOf(service, override)
    const buildable = builds.has(image)
    if (policy === 'build' || (policy === 'never' && buildable)) return
    if (policy !== 'always' && (await images.has(image))) return
    if (policy === 'never')
      throw new ServiceStartError(
        { service: service.name, phase: 'pull', image },
        `image "${image}" is not present, and its pull policy (never) forbids pulling it: build it or \`docker load\` it`,
      )
    const why = await pullImage(engine, image)
    images.forget(image)
    if (why === undefined || buildable) return
    throw new ServiceStartError({ service: service.name, phase: 'pull', image }, pullFailure(image, why, policy))
  })
}

/** Why `image` could not be pulled, and what to do instead. */
export function pullFailure(image: string, why: string, policy: PullPolicy | 'pull'): string {
  const present = policy === 'always' ? 'its pull policy is always' : 'is not present and'
  const hint = registryUnreachable(why)
    ? 'no registry was reachable to pull it: build it, `docker load` it, or make a registry reachable'
    : 'build it or check its name'
  const what = policy === 'pull' ? `image "${image}"` : `image "${image}" ${present}`
  return `${what} could not be pulled: ${why.split('\n')[0]!.trim()} (${hint})`
}

/** undefined when pulled, else the engine's reason. */
export function pullImage(
  engine: Engine,
  image: string,
  platform?: string,
  onLayer?: (event: LayerEvent) => void,
): Promise<string | undefined> {
  const docker = engine.container.dockerode
  return imageAuth(image).then(
    (auth) =>
      new Promise((resolve) => {
        // With a callback, dockerode answers through it and returns nothing to await. The
        // credentials go as the last argument: in the options, dockerode would put them in the query too.
        void docker.pull(
          image,
          { ...(platform && { platform }) },
          (error: Error | null, stream?: NodeJS.ReadableStream) => {
            if (error || !stream) return resolve(error?.message ?? 'the engine gave no answer')
            void followToItsEnd(engine, stream, onLayer).then(resolve)
          },
          auth,
        )
      }),
  )
}

/** What `pull` or `push` did for one service. */
export interface PullOutcome {
  readonly service: string
  readonly image: string
  /** Done (`pulled`, `pushed`), or why it was skipped or failed. */
  readonly result: 'pulled' | 'pushed' | 'skipped' | 'failed'
  readonly detail?: string
}

/**
 * `pull` as Compose v2 does it: each service's image (once per image), except where its pull
 * policy says never or build, or (with `missing`) the image is present, or (with
 * `ignoreBuildable`) the service builds it. A failed pull of an image that a service can build is
 * only reported; any other is a failure, unless `ignoreFailures`.
 */
export async function pullServiceImages(
  engine: Engine,
  services: readonly ServiceSpec[],
  {
    ignoreBuildable = false,
    policy: given,
    parallel,
    onProgress,
  }: {
    readonly ignoreBuildable?: boolean
    readonly policy?: PullPolicy
    readonly parallel?: number
    /** Each service as v2 shows it (`app Pulling`, `app Pulled`, `app Skipped - …`), and each layer of its pull. */
    readonly onProgress?: OnProgress
  } = {},
): Promise<PullOutcome[]> {
  const seen = new Map<string, string>()
  return mapLimited(services, parallel, async (service): Promise<PullOutcome> => {
    const { name, image } = service
    const skip = (detail: string, shown: string): PullOutcome => {
      onProgress?.({ id: name, text: shown, status: '', state: 'done' })
      return { service: name, image, result: 'skipped', detail }
    }
    if (service.build && !service.declared.includes('image'))
      return skip('no image to pull: it is built', 'Skipped - No image to be pulled')
    // No pull_policy: `pull` pulls the image whether or not it is present. `--policy` is every
    // policy of a service that names its image.
    const own = given !== undefined && service.declared.includes('image') ? given : service.run.pullPolicy
    const policy = own && pullPolicyOf(service, own)
    if (policy === 'never' || policy === 'build') return skip(`its pull policy is ${policy}`, 'Skipped')
    if (policy === 'missing' && presentSkipsPull(image) && (await imageExists(engine, image)))
      return skip('the image is present', 'Skipped - Image is already present locally')
    if (service.build && ignoreBuildable) return skip('the image can be built', 'Skipped - Image can be built')
    const puller = seen.get(image)
    if (puller !== undefined)
      return skip('pulled for another service', `Skipped - Image is already being pulled by ${puller}`)
    seen.set(image, name)
    onProgress?.({ id: name, text: 'Pulling', status: '', state: 'working' })
    // v2 shows a pull's layer events that carry progress (`Pulling fs layer`, `Downloading`, `Pull complete`).
    const why = await pullImage(engine, image, service.run.platform, (layer) => {
      if (layer.progressDetail !== undefined) onProgress?.(layerEvent(layer))
    })
    if (why === undefined) {
      onProgress?.({ id: name, text: 'Pulled', status: '', state: 'done' })
      return { service: name, image, result: 'pulled' }
    }
    // A failure that the service's build makes up for is a warning, as in v2.
    const [text, state] = service.build ? (['Warning', 'warning'] as const) : (['Error', 'error'] as const)
    onProgress?.({ id: name, text, status: why.split('\n')[0]!.trim(), state })
    return { service: name, image, result: 'failed', detail: pullFailure(image, why, 'pull') }
  })
}

/** One event of a pull's or push's stream, as the engine sends it: a layer's status and its progress bar. */
export interface LayerEvent {
  readonly id?: string
  readonly status?: string
  readonly progress?: string
  readonly progressDetail?: object
  readonly error?: string
}

const LAYER_DONE =
  /^(download complete|already exists|pull complete|pushed|layer already exists)$|image is up to date|downloaded newer image/i

/** A layer's event as v2 shows it under its service: the layer, what is done to it, its progress. */
function layerEvent(layer: LayerEvent, id = layer.id ?? ''): ProgressEvent {
  const state = layer.error ? 'error' : LAYER_DONE.test(layer.status ?? '') ? 'done' : 'working'
  return { id, text: layer.status ?? '', status: layer.error ?? layer.progress ?? '', state }
}

/**
 * `push` as Compose v2 does it: the image of each service that builds one and names it (`build`
 * and `image` both), once per image. What each did is in its outcome, a failed push included; a
 * push with no registry reachable says so.
 */
export async function pushServiceImages(
  engine: Engine,
  services: readonly ServiceSpec[],
  /** At most this many pushes at once (`--parallel`); all at once when absent. */
  parallel?: number,
  /** Each service skipped (`app Skipped`) and each layer pushed (`Pushing IMAGE: LAYER  Pushed`), as v2 shows them. */
  onProgress?: OnProgress,
): Promise<PullOutcome[]> {
  const seen = new Set<string>()
  return mapLimited(services, parallel, async ({ name, image, build, declared }): Promise<PullOutcome> => {
    if (!build || !declared.includes('image')) {
      onProgress?.({ id: name, text: 'Skipped', status: '', state: 'done' })
      return { service: name, image, result: 'skipped', detail: 'it builds no image of its own name' }
    }
    if (seen.has(image)) return { service: name, image, result: 'skipped', detail: 'pushed for another service' }
    seen.add(image)
    // The image and the build's other tags, all at once, as v2 pushes them.
    const tags = [image, ...(build.settings.tags ?? []).filter((t) => t !== image)]
    const failures = await Promise.all(
      tags.map((tag) =>
        pushImage(engine, tag, (layer) => onProgress?.(layerEvent(layer, `Pushing ${tag}: ${layer.id}`))),
      ),
    )
    const why = failures.find((f) => f !== undefined)
    if (why === undefined) return { service: name, image, result: 'pushed' }
    const hint = registryUnreachable(why) ? ' (no registry was reachable)' : ''
    return {
      service: name,
      image,
      result: 'failed',
      detail: `image "${image}" could not be pushed: ${why.split('\n')[0]!.trim()}${hint}`,
    }
  })
}

function pushImage(engine: Engine, image: string, onLayer?: (event: LayerEvent) => void): Promise<string | undefined> {
  const docker = engine.container.dockerode
  const { repository, tag = 'latest' } = splitImageReference(image)
  return imageAuth(image)
    .then((auth) => docker.getImage(`${repository}:${tag}`).push({ tag, ...(auth && { authconfig: auth }) }))
    .then(
      (stream) => followToItsEnd(engine, stream, onLayer),
      (error: Error) => error.message,
    )
}

/** Reads a pull's or push's progress to its end: undefined when it succeeded, else the engine's reason (which may come as the stream's last event). */
function followToItsEnd(
  engine: Engine,
  stream: NodeJS.ReadableStream,
  onLayer?: (event: LayerEvent) => void,
): Promise<string | undefined> {
  return new Promise((resolve) => {
    let failure: string | undefined
    engine.container.dockerode.modem.followProgress(
      stream,
      (err: Error | null) => resolve(err?.message ?? failure),
      (event: LayerEvent) => {
        if (event.error) failure = event.error
        // A layer's events (those with an id); the image's own lines are not.
        else if (event.id) onLayer?.(event)
      },
    )
  })
}
