const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 }

/** Go's duration syntax, which Compose uses: `1m30s`, `500ms`, `1.5h`, `0`. Milliseconds, or undefined when invalid. */
export function parseDuration(text: string): number | undefined {
  if (text === '0') return 0
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?|\.\d+)(ns|us|µs|ms|s|m|h)/gy)]
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) return undefined
  return parts.reduce((ms, p) => ms + Number(p[1]) * UNIT_MS[p[2]!]!, 0)
}

/**
 * Milliseconds back to Go's syntax exactly as Go's `Duration.String` writes it, which is how
 * `docker compose config` prints durations: `500ms`, `1.5s`, `1m30s`, `10m0s`, `1h0m0s`.
 */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s'
  if (ms < 1000) return `${ms}ms`
  const h = Math.floor(ms / 3_600_000)
  const m = Math.floor((ms % 3_600_000) / 60_000)
  const s = (ms % 60_000) / 1000
  return `${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${s}s`
}
