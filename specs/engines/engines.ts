import type { EngineSuite } from '../containers/support/docker-in-docker.js'

export interface MatrixEngine {
  readonly suite: EngineSuite
  readonly docker: string
  readonly api: string
  /**
   * Whether `npm run test:engines` starts it when no engine is named: 20.10 is this machine's own
   * engine, on which `npm test` runs the same specs, so it is started in a container only when asked.
   */
  readonly inMatrixRun: boolean
  /** Served over TLS, the client's certificate checked, as GitLab CI's docker:dind serves it by default. */
  readonly tls: boolean
}

/**
 * The engines the harness is proven on: the docker.io of a Debian suite each, with the engine API
 * it speaks. `npm run corpus` reports what `up` accepts on each.
 */
export const MATRIX_ENGINES: readonly MatrixEngine[] = [
  { suite: 'bookworm', docker: '20.10', api: '1.41', inMatrixRun: false, tls: false },
  { suite: 'trixie', docker: '26.1', api: '1.45', inMatrixRun: true, tls: false },
  { suite: 'sid', docker: '28.5', api: '1.51', inMatrixRun: true, tls: true },
]
