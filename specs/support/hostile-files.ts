/** Compose files built to exhaust a loader's memory: what the hostile-input specs and the benchmark feed the harness. */

/** Nine levels of ten aliases each: 10^9 values once expanded, from about 300 bytes of text. */
export function aliasBomb(): string {
  const levels = ['x-0: &a0 [x, x, x, x, x, x, x, x, x, x]']
  for (let i = 1; i <= 8; i++)
    levels.push(
      `x-${i}: &a${i} [${Array(10)
        .fill(`*a${i - 1}`)
        .join(', ')}]`,
    )
  return `${levels.join('\n')}\nservices:\n  web:\n    image: w\n    labels:\n      bomb: *a8\n`
}

/** A string of `length` characters, aliased `times` times as labels: few aliases, much text. */
export function aliasedLongString(length: number, times: number): string {
  const labels = Array.from({ length: times }, (_, i) => `      l${i}: *long`).join('\n')
  return `x-long: &long "${'y'.repeat(length)}"\nservices:\n  web:\n    image: w\n    labels:\n${labels}\n`
}
