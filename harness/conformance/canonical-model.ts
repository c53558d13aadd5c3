/**
 * The one normalisation applied to both sides' `config --format json` before they are compared.
 * It removes only differences of representation, never of meaning: keys sorted, absent and empty
 * values dropped (Compose v2 prints `command: null`, `ipam: {}`, `networks: {default: null}`).
 */
export function canonicalModel(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonicalModel)
  if (value === null || typeof value !== 'object') return value
  const entries = Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => [k, canonicalModel(v)] as const)
    .filter(
      ([, v]) =>
        v !== null && v !== undefined && !(typeof v === 'object' && Object.keys(v).length === 0 && !Array.isArray(v)),
    )
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return Object.fromEntries(entries)
}
