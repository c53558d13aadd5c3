import { ComposeError, type Problem } from '../../model/document/compose-error.js'
import type { LoadedCompose } from '../../model/pipeline/load.js'
import type { ServiceSpec } from '../../model/project/types.js'
import type { Engine } from '../engine/engine.js'
import { engineIdentity } from '../engine/engine-version.js'

/** What an older engine would take and silently ignore, with the API version that applies it: where each service asks for it. */
const NEEDS_API: readonly {
  readonly what: string
  readonly api: string
  readonly docker: string
  /** What an older engine does instead (`would ignore it` unless this says otherwise). */
  readonly otherwise?: string
  readonly where: (service: ServiceSpec) => (string | number)[][]
}[] = [
  {
    what: 'a named build context',
    api: '1.42',
    docker: '23',
    otherwise:
      'has no named contexts in its BuildKit: the build would fail (Compose v2’s fails there too: unsupported frontend capability moby.buildkit.frontend.contexts)',
    where: (s) => (s.build?.options.additional_contexts !== undefined ? [['build', 'additional_contexts']] : []),
  },
  {
    what: 'setting annotations',
    api: '1.43',
    docker: '24',
    where: (s) => (s.declared.includes('annotations') ? [['annotations']] : []),
  },
  {
    what: 'a health check’s start interval',
    api: '1.44',
    docker: '25',
    where: (s) => (s.healthcheck?.startIntervalMs !== undefined ? [['healthcheck', 'start_interval']] : []),
  },
  {
    what: 'a MAC address per network',
    api: '1.44',
    docker: '25',
    where: (s) => networksWith(s, 'macAddress', 'mac_address'),
  },
  {
    what: 'a gateway priority',
    api: '1.48',
    docker: '28',
    where: (s) => networksWith(s, 'gwPriority', 'gw_priority'),
  },
  {
    what: 'naming the interface',
    api: '1.49',
    docker: '28.1',
    where: (s) => networksWith(s, 'interfaceName', 'interface_name'),
  },
  {
    what: 'mounting an image',
    api: '1.48',
    docker: '28',
    where: (s) => s.volumes.flatMap((m, i) => (m.type === 'image' ? [['volumes', i]] : [])),
  },
  {
    what: 'a read-only bind’s submounts made read-only or left writable (`bind.recursive`)',
    api: '1.44',
    docker: '25',
    where: (s) =>
      s.volumes.flatMap((m, i) =>
        m.recursive === 'readonly' || m.recursive === 'writable' ? [['volumes', i, 'bind', 'recursive']] : [],
      ),
  },
  {
    what: 'mounting a volume’s subpath',
    api: '1.45',
    docker: '26',
    where: (s) => s.volumes.flatMap((m, i) => (m.subpath !== undefined ? [['volumes', i]] : [])),
  },
]

/** The networks of the service that set `field`, as paths to its key. */
function networksWith(
  service: ServiceSpec,
  field: 'macAddress' | 'gwPriority' | 'interfaceName',
  key: string,
): (string | number)[][] {
  return Object.entries(service.networks).flatMap(([name, n]) =>
    n[field] !== undefined ? [['networks', name, key]] : [],
  )
}

/** Whether `version` is older than `than`, numerically part by part: `1.41` < `1.43`, `2.26.1-4` < `2.40.0`. */
export function older(version: string, than: string): boolean {
  const parts = (v: string) => v.split(/[.-]/).map((p) => Number.parseInt(p, 10) || 0)
  const [a, b] = [parts(version), parts(than)]
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) < (b[i] ?? 0)
  }
  return false
}

/** Pure: the keys the files set that an engine speaking `apiVersion` would ignore, each where it is written. */
export function beyondEngine({ project, locate }: LoadedCompose, apiVersion: string): Problem[] {
  return Object.values(project.services).flatMap((service) =>
    NEEDS_API.filter(({ api }) => older(apiVersion, api)).flatMap(({ what, api, docker, otherwise, where }) =>
      where(service).map((rest): Problem => {
        const path = ['services', service.name, ...rest]
        return {
          at: locate(path),
          path,
          detail: `${what} needs engine API ${api} (Docker ${docker}); this engine speaks ${apiVersion} and ${otherwise ?? 'would ignore it'}`,
        }
      }),
    ),
  )
}

/**
 * Pure: what no engine would do as written. A start interval outside a start period: the engine
 * checks at `interval` from the start (moby/moby#48874), and Compose v2 refuses it when it creates
 * the container; here it is refused before anything is created.
 */
export function ignoredByEveryEngine({ project, locate }: LoadedCompose): Problem[] {
  return Object.values(project.services).flatMap((service): Problem[] => {
    const check = service.healthcheck
    if (check?.startIntervalMs === undefined || check.startPeriodMs !== undefined) return []
    const path = ['services', service.name, 'healthcheck', 'start_interval']
    return [
      {
        at: locate(path),
        path,
        detail:
          'a start interval applies only during a start period: set healthcheck.start_period too (Compose v2 refuses it without one)',
      },
    ]
  })
}

/** Refuses, before anything is created, what the files ask of this engine that it would silently not do. */
export async function refuseBeyondEngine(engine: Engine, loaded: LoadedCompose): Promise<void> {
  const { apiVersion } = await engineIdentity(engine)
  const problems = [...beyondEngine(loaded, apiVersion), ...ignoredByEveryEngine(loaded)]
  if (problems.length > 0) throw new ComposeError(problems)
}
