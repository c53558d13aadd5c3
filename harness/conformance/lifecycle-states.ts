/**
 * What one step of a lifecycle scenario did to each container, network and volume of a project,
 * read from two snapshots of the engine taken before and after it. Pure: the spec that runs the
 * scenarios (specs/containers/conformance/lifecycle.spec.ts) takes the snapshots.
 */
export interface ResourceState {
  /** The engine's ID (a volume's name): a new one under the same key means the resource was replaced. */
  readonly id: string
  /** Containers only: when it last started, and whether it runs now. */
  readonly startedAt?: string
  readonly running?: boolean
}

/** Resource key (`container <project>-db-1`, `volume <project>_data`, …) → its state. */
export type Snapshot = ReadonlyMap<string, ResourceState>

export type StepEffect = 'created' | 'removed' | 'recreated' | 'restarted' | 'started' | 'stopped' | 'kept'

export function stepEffects(before: Snapshot, after: Snapshot): Map<string, StepEffect> {
  const effects = new Map<string, StepEffect>()
  for (const key of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const [was, is] = [before.get(key), after.get(key)]
    effects.set(key, effectOf(was, is))
  }
  return effects
}

function effectOf(was: ResourceState | undefined, is: ResourceState | undefined): StepEffect {
  if (!was) return 'created'
  if (!is) return 'removed'
  if (was.id !== is.id) return 'recreated'
  if (was.startedAt !== is.startedAt) return was.running ? 'restarted' : 'started'
  if (was.running && !is.running) return 'stopped'
  return 'kept'
}
