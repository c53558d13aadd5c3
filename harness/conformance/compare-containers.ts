import { HarnessError } from '../errors.js'
import { connectEngine } from '../runtime/engine/engine.js'
import { inspectProject, type ProjectInspection } from '../runtime/project/project-inspection.js'
import { canonicalModel } from './canonical-model.js'
import { harnessCompose, referenceEnvironment, referenceFlags, type ModelCase } from './compare-model.js'
import { projectFacts } from './container-facts.js'
import type { Finding } from './findings.js'
import { diffDocuments } from './model-diff.js'
import { runReference } from './reference-compose.js'
import { ReferenceFailedError } from './reference-failed-error.js'

/**
 * Brings the case up with `up -d` under two project names, the harness's (`<base>-h`) and
 * Compose v2's (`<base>-r`), one after the other (fixed subnets could not be shared), inspects
 * every container, network and volume of each, removes both (with the images each built), and
 * lists where they differ. A tool's failing `up -d` is a finding too, unless both fail on an
 * engine that cannot run the case (`mustStart` false: it asks for a newer engine API).
 */
export async function compareContainers(
  c: ModelCase,
  reference: readonly string[],
  projectBase: string,
  mustStart = true,
): Promise<Finding[]> {
  const ours = await inspectUp(
    `${projectBase}-h`,
    async (project) => void (await harnessCompose(c, project).up({ reap: false, waitHealthy: false })),
    // The images each built under its project's name go too (`--rmi local`): nothing of a comparison is left.
    (project) => harnessCompose(c, project).down({ volumes: true, timeoutS: 1, rmi: 'local' }),
    HarnessError,
  )
  const theirs = await inspectUp(
    `${projectBase}-r`,
    (project) => referenceRun(c, reference, project, ['up', '-d']),
    (project) => referenceRun(c, reference, project, ['down', '-v', '--rmi', 'local', '-t', '1']),
    ReferenceFailedError,
  )
  if (typeof ours === 'string' || typeof theirs === 'string') {
    const [harness, ref] = [
      typeof ours === 'string' ? ours : undefined,
      typeof theirs === 'string' ? theirs : undefined,
    ]
    return harness !== undefined && ref !== undefined && !mustStart ? [] : [{ kind: 'up', harness, reference: ref }]
  }
  const fixedIpam = (project: string) =>
    new Set(
      Object.values(harnessCompose(c, project).load().project.networks)
        .filter((n) => n.options.ipam !== undefined)
        .map((n) => n.name),
    )
  const facts = (project: string, inspection: ProjectInspection) =>
    canonicalModel(projectFacts(project, inspection, fixedIpam(project)))
  return diffDocuments(facts(`${projectBase}-h`, ours), facts(`${projectBase}-r`, theirs)).map((d) => ({
    kind: 'container',
    ...d,
  }))
}

/** What `up` made of the project, or the message of its failure where the tool reported one (`fails`); removed after. */
async function inspectUp(
  project: string,
  up: (p: string) => Promise<void>,
  down: (p: string) => Promise<void>,
  fails: new (...args: never[]) => Error,
): Promise<ProjectInspection | string> {
  try {
    const failed = await up(project).then(
      () => undefined,
      (error: unknown) => failure(error, fails),
    )
    return failed ?? (await inspectProject(await connectEngine(), project))
  } finally {
    await down(project)
  }
}

/** A tool's failure as its message, where it is of the kind the tool reports (`kind`); anything else is thrown on. */
export function failure(error: unknown, kind: new (...args: never[]) => Error): string {
  if (error instanceof kind) return error.message
  throw error
}

/** Runs a Compose v2 command on the case under `projectName`; a failure is thrown with what v2 said. */
export async function referenceRun(
  c: ModelCase,
  reference: readonly string[],
  projectName: string,
  args: readonly string[],
): Promise<void> {
  const result = await runReference(reference, [...referenceFlags({ ...c, projectName }), ...args], {
    env: referenceEnvironment(c),
  })
  if (result.code !== 0) throw new ReferenceFailedError(args, result)
}
