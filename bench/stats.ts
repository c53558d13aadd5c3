/** Median, minimum and maximum of a set of timings, in milliseconds. */
export interface Summary {
  readonly median: number
  readonly min: number
  readonly max: number
  readonly runs: number
}

export function summarize(ms: readonly number[]): Summary {
  const sorted = [...ms].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
  return { median, min: sorted[0]!, max: sorted.at(-1)!, runs: sorted.length }
}

export function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`
}

/** `0.12×`: how the harness's median compares with the reference's. */
export function ratio(ours: Summary, theirs: Summary | undefined): string {
  return theirs ? `${(ours.median / theirs.median).toFixed(2)}×` : 'n/a'
}
