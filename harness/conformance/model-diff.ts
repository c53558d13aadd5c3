/** One place where two models differ: a path in the canonical document, and each side's value there. */
export interface Difference {
  readonly path: string
  /** `undefined`: the side has nothing at that path. */
  readonly harness: unknown
  readonly reference: unknown
}

/** Every path at which two canonical documents differ, in sorted path order. Arrays compare item by item. */
export function diffDocuments(harness: unknown, reference: unknown, path = ''): Difference[] {
  if (isObject(harness) && isObject(reference)) {
    const keys = [...new Set([...Object.keys(harness), ...Object.keys(reference)])].sort()
    return keys.flatMap((k) => diffDocuments(harness[k], reference[k], path ? `${path}.${k}` : k))
  }
  if (Array.isArray(harness) && Array.isArray(reference) && harness.length === reference.length) {
    return harness.flatMap((item, i) => diffDocuments(item, reference[i], `${path}[${i}]`))
  }
  return JSON.stringify(harness) === JSON.stringify(reference) ? [] : [{ path, harness, reference }]
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}
