/**
 * `!reset` and `!override` as parse.ts keeps them: mappings with one key that no compose file can
 * write (it starts with a NUL), so that interpolation and the other stages before the merge carry
 * them untouched. The merge acts on them (merge.ts); `withoutMergeTags` drops what is left.
 */
export const RESET_KEY = '\u0000reset'
export const OVERRIDE_KEY = '\u0000override'

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** `!reset`: the key goes, whatever an earlier file gave it. */
export function isReset(value: unknown): boolean {
  return isMapping(value) && RESET_KEY in value
}

/** `!override`: the value replaces an earlier file's instead of being merged with it. */
export function isOverride(value: unknown): value is Record<string, unknown> {
  return isMapping(value) && OVERRIDE_KEY in value
}

/** The value with its merge tags resolved where no earlier value was left to act on: a `!reset` key dropped, an `!override` unwrapped. */
export function withoutMergeTags(value: unknown): unknown {
  if (isOverride(value)) return withoutMergeTags(value[OVERRIDE_KEY])
  if (Array.isArray(value)) return value.filter((v) => !isReset(v)).map(withoutMergeTags)
  if (!isMapping(value)) return value
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => !isReset(v))
      .map(([k, v]) => [k, withoutMergeTags(v)]),
  )
}
