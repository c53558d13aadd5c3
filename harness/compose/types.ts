/** The compose model after normalization: every short syntax turned into its long form. */

export interface BuildSpec {
  /** Absolute path of the build context. */
  readonly context: string
  /** Path of the Dockerfile, relative to the context. */
  readonly dockerfile: string
  readonly args: Readonly<Record<string, string>>
  readonly target?: string
}

export interface LinkSpec {
  readonly service: string
  /** The host name under which the linked service is reachable (the service name when none is given). */
  readonly alias: string
}

export type DependencyCondition = 'service_started' | 'service_healthy' | 'service_completed_successfully'

export interface DependencySpec {
  readonly condition: DependencyCondition
  readonly required: boolean
  readonly restart: boolean
}

/** `exec` came as a YAML list and runs as it is; `string` came as one string, split like a shell's words. */
export type CommandSpec =
  | { readonly form: 'exec'; readonly args: readonly string[] }
  | { readonly form: 'string'; readonly text: string; readonly args: readonly string[] }

export interface ServiceSpec {
  readonly name: string
  /** The image to run: `image:` when given, else `<project>-<service>`, the name Compose builds it under. */
  readonly image: string
  readonly build?: BuildSpec
  /** Container ports made known to the network without being published, as `2000/tcp`. */
  readonly expose: readonly string[]
  readonly links: readonly LinkSpec[]
  /** Explicit `depends_on` entries; links add implicit ones in the startup plan. */
  readonly dependsOn: Readonly<Record<string, DependencySpec>>
  readonly environment: Readonly<Record<string, string>>
  readonly command?: CommandSpec
  readonly entrypoint?: CommandSpec
}

export interface ComposeProject {
  readonly name: string
  /** Absolute directory against which relative paths resolve (the first file's, unless given). */
  readonly directory: string
  /** Absolute paths of the files merged, in order. */
  readonly files: readonly string[]
  /** Services in the order the files declare them. */
  readonly services: Readonly<Record<string, ServiceSpec>>
  /** Things Compose accepts but warns about, such as the obsolete `version:`. */
  readonly warnings: readonly string[]
}
