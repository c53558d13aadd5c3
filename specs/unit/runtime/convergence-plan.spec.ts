import { describe, expect, it } from 'vitest'
import {
  planConvergence,
  type DesiredService,
  type PlanInput,
  type RecreatePolicy,
} from '../../../harness/runtime/up/convergence-plan.js'
import type { ExistingContainer } from '../../../harness/runtime/project/project-containers.js'

// db <- app <- web (by a link: restart: true), and worker alone: the shape of
// fixtures/conformance/lifecycle. sidecar (in no default order) shares db's network namespace.
const DEPENDENCIES: Record<string, string[]> = { db: [], app: ['db'], web: ['app'], worker: [], sidecar: ['db'] }
const RESTARTS: Record<string, string[]> = { web: ['app'], sidecar: ['db'] }
const SHARES: Record<string, string[]> = { sidecar: ['db'] }
const ORDER = ['db', 'app', 'web', 'worker']

function container(service: string, number = 1, over: Partial<ExistingContainer> = {}): ExistingContainer {
  return {
    id: `${service}-${number}-id`,
    name: `p-${service}-${number}`,
    service,
    number,
    configHash: `hash-${service}`,
    imageId: 'sha256:image',
    running: true,
    status: 'Up',
    state: 'running',
    image: 'image',
    dependsOn: DEPENDENCIES[service] ?? [],
    restartsWith: [],
    ports: [],
    networks: ['p_default'],
    command: 'run',
    created: 0,
    ...over,
  }
}

interface Scenario {
  existing?: ExistingContainer[]
  desired?: Record<string, Partial<DesiredService>>
  recreate?: RecreatePolicy
  recreateDependencies?: RecreatePolicy
  named?: string[]
  order?: string[]
}

/** `service-number: action` for every planned container, in plan order. */
function plan({
  existing = [],
  desired = {},
  recreate = 'changed',
  recreateDependencies,
  named,
  order = ORDER,
}: Scenario): string[] {
  const byService = new Map<string, ExistingContainer[]>()
  for (const c of existing) byService.set(c.service, [...(byService.get(c.service) ?? []), c])
  const input: PlanInput = {
    order,
    dependencies: (s) => (DEPENDENCIES[s] ?? []).filter((d) => order.includes(d)),
    restartsWith: (s) => (RESTARTS[s] ?? []).filter((d) => order.includes(d)),
    sharesWith: (s) => (SHARES[s] ?? []).filter((d) => order.includes(d)),
    named: new Set(named ?? order),
    recreate,
    ...(recreateDependencies && { recreateDependencies }),
    desired: (s) => ({ replicas: 1, configHash: `hash-${s}`, imageId: 'sha256:image', ...desired[s] }),
    existing: byService,
  }
  return [...planConvergence(input).values()]
    .flat()
    .map((p) => `${p.service}-${p.number}: ${p.action}${p.reason ? ` (${p.reason})` : ''}`)
}

const all = () => ORDER.map((s) => container(s))

describe("the convergence plan (Compose v2's up)", () => {
  it('creates what does not exist yet', () => {
    expect(plan({})).toEqual(['db-1: create', 'app-1: create', 'web-1: create', 'worker-1: create'])
  })

  it('keeps running containers whose configuration and image are unchanged', () => {
    expect(plan({ existing: all() })).toEqual(['db-1: keep', 'app-1: keep', 'web-1: keep', 'worker-1: keep'])
  })

  it('starts an unchanged container that is not running, a one-shot that has exited included, and nothing else', () => {
    expect(plan({ existing: [container('db', 1, { running: false, state: 'exited' }), ...all().slice(1)] })).toEqual([
      'db-1: start',
      'app-1: keep',
      'web-1: keep',
      'worker-1: keep',
    ])
  })

  it('recreates a changed service, keeps what depends on it, and restarts its running restart: true dependents (Compose 2.40)', () => {
    expect(plan({ existing: all(), desired: { db: { configHash: 'new' } } })).toEqual([
      'db-1: recreate (configuration changed)',
      'app-1: keep',
      'web-1: keep',
      'worker-1: keep',
    ])
    expect(plan({ existing: all(), desired: { app: { configHash: 'new' } } })).toEqual([
      'db-1: keep',
      'app-1: recreate (configuration changed)',
      'web-1: restart (its dependency app was recreated)',
      'worker-1: keep',
    ])
    const webStopped = [container('db'), container('app'), container('web', 1, { running: false }), container('worker')]
    expect(plan({ existing: webStopped, desired: { app: { configHash: 'new' } } })).toEqual([
      'db-1: keep',
      'app-1: recreate (configuration changed)',
      'web-1: start',
      'worker-1: keep',
    ])
  })

  it('recreates a service that names a recreated container (network_mode, ipc, pid, volumes_from)', () => {
    const order = ['db', 'sidecar']
    expect(
      plan({ existing: [container('db'), container('sidecar')], desired: { db: { configHash: 'new' } }, order }),
    ).toEqual(['db-1: recreate (configuration changed)', 'sidecar-1: recreate (its dependency db was recreated)'])
    expect(plan({ existing: [container('db'), container('sidecar')], order })).toEqual([
      'db-1: keep',
      'sidecar-1: keep',
    ])
  })

  it('recreates a container whose image changed under the same name', () => {
    expect(plan({ existing: all(), desired: { worker: { imageId: 'sha256:rebuilt' } } })).toContain(
      'worker-1: recreate (image changed)',
    )
  })

  it("keeps a container whatever run's clean-up covers it, as Compose v2 keeps it (a live run's is taken over before)", () => {
    for (const [session, desired] of [
      ['other', undefined],
      [undefined, 'mine'],
      ['mine', 'mine'],
    ] as const)
      expect(
        plan({
          existing: [container('worker', 1, session ? { session } : {})],
          order: ['worker'],
          ...(desired && { desired: { worker: { session: desired } } }),
        }),
      ).toEqual(['worker-1: keep'])
  })

  it('with --force-recreate, recreates the services named; a dependency brought along only if it changed', () => {
    expect(plan({ existing: all(), recreate: 'force' })).toEqual([
      'db-1: recreate (forced)',
      'app-1: recreate (forced)',
      'web-1: recreate (forced)',
      'worker-1: recreate (forced)',
    ])
    expect(plan({ existing: all(), recreate: 'force', named: ['app'], order: ['db', 'app'] })).toEqual([
      'db-1: keep',
      'app-1: recreate (forced)',
    ])
  })

  it('with --no-recreate, keeps changed containers (starting stopped ones) and recreates no dependent', () => {
    const existing = [container('db', 1, { running: false }), ...all().slice(1)]
    expect(plan({ existing, desired: { db: { configHash: 'new' } }, recreate: 'never' })).toEqual([
      'db-1: start',
      'app-1: keep',
      'web-1: keep',
      'worker-1: keep',
    ])
  })

  it('with --always-recreate-deps, recreates the dependencies of the services named; with --no-recreate, keeps them changed', () => {
    const named = { existing: all(), named: ['app'], order: ['db', 'app'] }
    expect(plan({ ...named, recreateDependencies: 'force' })).toEqual(['db-1: recreate (forced)', 'app-1: keep'])
    // Named nothing: every service is named, and its own policy is the only one.
    expect(plan({ existing: all(), recreateDependencies: 'force' })).toEqual(ORDER.map((s) => `${s}-1: keep`))
    expect(
      plan({ ...named, desired: { db: { configHash: 'new' } }, recreate: 'never', recreateDependencies: 'never' }),
    ).toEqual(['db-1: keep', 'app-1: keep'])
  })

  it('with --no-deps, leaves the dependencies out of the plan, and a change of theirs recreates nothing', () => {
    expect(plan({ existing: all(), desired: { db: { configHash: 'new' } }, named: ['app'], order: ['app'] })).toEqual([
      'app-1: keep',
    ])
  })

  it('scales up by creating the next numbers, and down by removing the highest', () => {
    expect(plan({ existing: [container('worker')], desired: { worker: { replicas: 3 } }, order: ['worker'] })).toEqual([
      'worker-1: keep',
      'worker-2: create',
      'worker-3: create',
    ])
    expect(plan({ existing: [1, 2, 3].map((n) => container('worker', n)), order: ['worker'] })).toEqual([
      'worker-1: keep',
      'worker-2: remove',
      'worker-3: remove',
    ])
  })
})
