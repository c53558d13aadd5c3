/** `services` and everything they depend on, in dependency order. */
export function withDependencies(
  services: readonly string[],
  dependencies: (s: string) => readonly string[],
): string[] {
  const out = new Set<string>()
  const add = (s: string): void => {
    if (out.has(s)) return
    dependencies(s).forEach(add)
    out.add(s)
  }
  services.forEach(add)
  return [...out]
}
