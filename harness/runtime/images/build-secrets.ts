import { readFileSync } from 'node:fs'
import { isMapping } from '../../model/document/values.js'
import { referencedSource } from '../../model/fields/top-level.js'
import type { BuildSpec, FileObjectSpec } from '../../model/project/types.js'

/** A build secret by its id, from a file or a variable's value. */
export interface BuildSecret {
  readonly id: string
  readonly file?: string
  readonly value?: string
}

/**
 * Pure: the build's `secrets` (a name, or `{source, target}` whose target is the id BuildKit asks
 * for), each with where its content is, from the project's top-level secrets.
 */
export function buildSecrets(build: BuildSpec, project: Readonly<Record<string, FileObjectSpec>>): BuildSecret[] {
  const written = build.options.secrets
  if (!Array.isArray(written)) return []
  return written.flatMap((item: unknown): BuildSecret[] => {
    const source = referencedSource(item)
    const defined = source === undefined ? undefined : project[source]
    if (!defined) return []
    const target = isMapping(item) && typeof item.target === 'string' ? item.target : undefined
    return [
      {
        id: target ?? source!,
        ...(defined.file !== undefined && { file: defined.file }),
        ...(defined.value !== undefined && { value: defined.value }),
      },
    ]
  })
}

/** Each secret's content, read now (a file) or as the variable gave it. */
export function secretContents(secrets: readonly BuildSecret[]): Map<string, Uint8Array> {
  return new Map(
    secrets.map((s) => [s.id, s.file !== undefined ? readFileSync(s.file) : Buffer.from(s.value ?? '')] as const),
  )
}
