/**
 * The one normalisation applied to both sides' `config --format json` before they are compared.
 * It removes only differences of representation, never of meaning: keys sorted, absent and empty
 * values dropped (Compose v2 prints `command: null`, `ipam: {}`, `networks: {default: null}`), and
 * the keys of `blkio_config`'s device entries in lower case (v2's JSON alone writes `Path`, `Rate`).
 */
export function canonicalModel(value: unknown, lowerCaseKeys = false): unknown {
  if (Array.isArray(value)) return value.map((v) => canonicalModel(v, lowerCaseKeys))
  if (value === null || typeof value !== 'object') return value
  const entries = Object.entries(value as Record<string, unknown>)
    .map(
      ([k, v]) =>
        [lowerCaseKeys ? k.toLowerCase() : k, canonicalModel(v, lowerCaseKeys || k === 'blkio_config')] as const,
    )
    .filter(
      ([, v]) =>
        v !== null && v !== undefined && !(typeof v === 'object' && Object.keys(v).length === 0 && !Array.isArray(v)),
    )
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return Object.fromEntries(entries)
}
