/**
 * What Compose 2.40's CLI has and compose-harness's does not, each with why; every other command and
 * flag of Compose 2.40 the harness has (`specs/unit/conformance/cli-surface.spec.ts` checks both ways,
 * and that docs/cli.md lists these rows).
 */
export interface CliGap {
  /** The command; undefined for a global flag. */
  readonly command?: string
  /** The flag (its long name); undefined for the whole command. */
  readonly flag?: string
  readonly why: string
}

export const CLI_GAPS: readonly CliGap[] = [
  { command: 'bridge', why: 'converts a project into Kubernetes or Helm files: outside what a test harness runs' },
]
