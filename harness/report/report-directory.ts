/** Where reports go: the directory given in code, else COMPOSE_HARNESS_REPORT, else nowhere. */
export function reportDirectory(given: string | undefined, environment = process.env): string | undefined {
  const dir = given ?? environment.COMPOSE_HARNESS_REPORT
  return dir === undefined || dir.trim() === '' ? undefined : dir
}
