import { existsSync, statSync, watch, type FSWatcher } from 'node:fs'
import { dirname, join, resolve } from 'node:path'

/** How long no change must come before a batch is handled, as Compose v2 waits (its watch's quiet period). */
export const QUIET_PERIOD_MS = 500

/** A watch on files of this machine; `close()` ends it. */
export interface FileWatch {
  close(): void
}

/**
 * Watches `paths` (directories with all they hold, or files; a path that does not exist yet through
 * the directory above it) and hands each batch of changed paths to `onBatch` once no change has come
 * for the quiet period: an editor saving many files makes one batch. Each path once a batch.
 */
export function watchFiles(
  paths: readonly string[],
  onBatch: (changed: string[]) => void,
  onError: (error: Error) => void,
): FileWatch {
  let pending = new Set<string>()
  let timer: NodeJS.Timeout | undefined
  const flush = (): void => {
    timer = undefined
    if (pending.size === 0) return
    const batch = [...pending]
    pending = new Set()
    onBatch(batch)
  }
  const watchers: FSWatcher[] = []
  for (const root of new Set(paths.map((p) => (existsSync(p) ? p : dirname(p))))) {
    const directory = statSync(root).isDirectory()
    const base = directory ? root : dirname(root)
    const watcher = watch(root, { recursive: directory }, (_event, name) => {
      pending.add(resolve(base, name === null ? '' : join(name.toString())))
      if (timer) clearTimeout(timer)
      timer = setTimeout(flush, QUIET_PERIOD_MS)
    })
    watcher.on('error', onError)
    watchers.push(watcher)
  }
  return {
    close: () => {
      if (timer) clearTimeout(timer)
      for (const w of watchers) w.close()
    },
  }
}
