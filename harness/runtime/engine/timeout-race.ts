/** What `within` gives when the time ran out first. */
export const TIMED_OUT = Symbol('timed out')

/** `work`'s result, or TIMED_OUT once `ms` have passed first; the timer never outlives the race. */
export async function within<T>(work: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(resolve, ms, TIMED_OUT)
  })
  try {
    return await Promise.race([work, late])
  } finally {
    clearTimeout(timer)
  }
}
