/** Polls `probe` until `check` holds or `timeoutMs` passes; resolves with the last value seen (the spec's assertion then says what was wrong). */
export async function eventually<T>(
  probe: () => Promise<T>,
  check: (value: T) => boolean,
  timeoutMs: number,
  everyMs = 500,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let value = await probe()
  while (!check(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, everyMs))
    value = await probe()
  }
  return value
}
