import { familiarTagged } from '../images/image-reference.js'

/** A service as `down --rmi` weighs its image: from the files, or from its containers for a project known by its name. */
export interface PrunedService {
  readonly name: string
  /** The image the service names (`image:`); none for one built under the project's default name. */
  readonly image?: string
}

/** An image the engine has with the project's label (built by Compose for it), as `down --rmi` finds it. */
export interface LabelledImage {
  readonly tags: readonly string[]
  /** Its `com.docker.compose.service` label ('' without one). */
  readonly service: string
}

export interface PruneInput {
  readonly project: string
  readonly rmi: 'local' | 'all'
  /** `--remove-orphans`: the labelled images of services no longer in the files go too. */
  readonly removeOrphans: boolean
  readonly services: readonly PrunedService[]
  /** How the default image names are joined (`<project>-<service>`; `_` under `--compatibility`). */
  readonly separator: '-' | '_'
  readonly labelled: readonly LabelledImage[]
}

/**
 * The services of the files as `down --rmi` weighs them: a service whose image is its default name
 * (`<project>-<service>`, built for the project) names none.
 */
export function prunedServices(
  project: string,
  separator: '-' | '_',
  services: readonly { readonly name: string; readonly image: string }[],
): PrunedService[] {
  return services.map(({ name, image }) => (image === [project, name].join(separator) ? { name } : { name, image }))
}

/** The names `down --rmi` asks the engine about (are they there?) before it decides: the services' own, and the default ones. */
export function candidateNames({
  project,
  rmi,
  services,
  separator,
}: Omit<PruneInput, 'labelled' | 'removeOrphans'>): string[] {
  return services.flatMap((s) =>
    s.image === undefined ? [[project, s.name].join(separator)] : rmi === 'all' ? [s.image] : [],
  )
}

/**
 * Pure: the images `down --rmi` removes, as Compose v2's image pruner picks them, whatever services
 * `down` was given. `all`: every image a service names. Both: the images labelled with the project
 * (the first tag of each, for a service of the files, or any with `removeOrphans`), and the default
 * `<project>-<service>` image of each service that names none. Of the names, only those `present`;
 * each once, as the docker CLI shows it, sorted.
 */
export function imagesToPrune(input: PruneInput, present: (name: string) => boolean): string[] {
  const known = new Set(input.services.map((s) => s.name))
  const labelled = input.labelled
    .filter((i) => i.tags.length > 0 && (input.removeOrphans || known.has(i.service)))
    .map((i) => i.tags[0]!)
  const names = [...candidateNames(input).filter(present), ...labelled]
  return [...new Set(names.map(familiarTagged))].sort()
}
