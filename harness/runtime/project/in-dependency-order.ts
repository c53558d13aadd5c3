import { rejections, throwFailures } from '../engine/runtime-errors.js'
/**
 * Runs `task` for every service as soon as the services it waits for are done (never a whole
 * level at a time). For `down`, `waitsFor` gives a service's dependents instead. A service whose
 * prerequisite failed is skipped; all failures are thrown together. An edge that would close a
 * cycle (possible only in labels written by other tools) is ignored rather than waited on forever.
 */
export async function inDependencyOrder(
  services: readonly string[],
  waitsFor: (service: string) => readonly string[],
  task: (service: string) => Promise<void>,
): Promise<void> {
  const runs = new Map<string, Promise<void>>()
  const visiting = new Set<string>()
  const run = (service: string): Promise<void> => {
    const known = runs.get(service)
    if (known) return known
    visiting.add(service)
    const prerequisites = waitsFor(service)
      .filter((s) => services.includes(s) && !visiting.has(s))
      .map(run)
    visiting.delete(service)
    const started = Promise.all(prerequisites).then(() => task(service))
    runs.set(service, started)
    return started
  }
  // Each run is kept in `runs` and settled below.
  for (const service of services) void run(service)
  const results = await Promise.allSettled(runs.values())
  throwFailures(rejections(results))
}
