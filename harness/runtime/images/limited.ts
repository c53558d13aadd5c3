/**
 * `fn` over `items`, at most `limit` at once (all at once when `limit` is undefined or below 1), in
 * the items' order as they start: `--parallel` (COMPOSE_PARALLEL_LIMIT), as Compose v2 limits its
 * pulls, pushes and builds. Resolves with the results in the items' order; rejects as `Promise.all`.
 */
export async function mapLimited<T, R>(
  items: readonly T[],
  limit: number | undefined,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  if (limit === undefined || limit < 1 || limit >= items.length) return Promise.all(items.map(fn))
  const results: R[] = new Array<R>(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++
      results[i] = await fn(items[i]!)
    }
  }
  await Promise.all(Array.from({ length: limit }, worker))
  return results
}
