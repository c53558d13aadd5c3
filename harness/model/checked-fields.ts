import { readFields, readMapping, readString, readStringList, type FieldContext } from './field-context.js'
import type { YamlPath } from './where.js'

/**
 * Service keys kept only as written (for `config`, and for `up` to refuse by name), whose shape is
 * still checked as Compose v2 checks it, so that a bad value is reported at load like any other.
 */
const CHECKED_KEYS = {
  external_links: ['externalLinks', readStringList],
  credential_spec: [
    'credentialSpec',
    (value: unknown, path: YamlPath, ctx: FieldContext) => {
      const spec = readMapping(value, path, ctx, ['config', 'file', 'registry'])
      for (const [key, v] of Object.entries(spec)) if (v != null) readString(v, [...path, key], ctx)
      return spec
    },
  ],
} as const

export function checkPassedKeys(raw: Record<string, unknown>, path: YamlPath, ctx: FieldContext): void {
  readFields<Record<string, unknown>>(raw, CHECKED_KEYS, path, ctx)
}
