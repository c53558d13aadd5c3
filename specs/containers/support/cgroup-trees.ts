import { existsSync, readdirSync, rmdirSync } from 'node:fs'
import { join } from 'node:path'
import { eventually } from '../../support/eventually.js'

/** This machine's cgroup hierarchy: on cgroup v1, a tree per controller below it. */
const ROOT = '/sys/fs/cgroup'

/** The controllers' directories (none where there is no hierarchy to read). */
function controllers(): string[] {
  try {
    return readdirSync(ROOT, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => join(ROOT, e.name))
  } catch {
    return []
  }
}

/** Every directory of the tree at `dir`, the deepest first (a cgroup goes only once it has no child). */
function deepestFirst(dir: string): string[] {
  const children = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .flatMap((e) => deepestFirst(join(dir, e.name)))
  return [...children, dir]
}

/** Removes the cgroups of each tree it can (one a process is still in stays); true when none of them is left. */
function removeTrees(trees: readonly string[]): boolean {
  for (const tree of trees.filter((t) => existsSync(t)))
    for (const dir of deepestFirst(tree))
      try {
        rmdirSync(dir)
      } catch {
        // Still holds a process, or went meanwhile: looked at again on the next try.
      }
  return trees.every((t) => !existsSync(t))
}

/**
 * Removes, in every controller of this machine's cgroup v1 hierarchy, the tree `/NAME` that a
 * Docker-in-Docker engine's container was given as its cgroup parent (the inner engine's
 * containers' cgroups within it): the engine removes a container's own cgroup, never the parent it
 * was given. The processes killed with the container leave them within `timeoutMs`. Nothing is
 * done where the tree is not on this machine (an engine elsewhere). True when none is left.
 */
export async function removeCgroupTrees(name: string, timeoutMs = 10_000): Promise<boolean> {
  const trees = controllers().map((c) => join(c, name))
  return eventually(
    async () => removeTrees(trees),
    (gone) => gone,
    timeoutMs,
    50,
  )
}

/** The names of the trees at the top of any controller's hierarchy that start with `prefix`. */
export function cgroupTreesStartingWith(prefix: string): string[] {
  const names = controllers().flatMap((c) =>
    readdirSync(c, { withFileTypes: true })
      .filter((e) => e.isDirectory() && e.name.startsWith(prefix))
      .map((e) => e.name),
  )
  return [...new Set(names)]
}
