import { existsSync, readdirSync, statSync } from 'node:fs'
import { dirname, join, relative, sep } from 'node:path'
import { PassThrough } from 'node:stream'
import type { Engine } from '../engine/engine.js'
import { HandleError } from '../engine/runtime-errors.js'
import { execStreaming } from '../container/exec-stream.js'
import type { PathMapping } from './watch-rules.js'

/**
 * Copies the changed files that exist into each container at their container paths (a directory
 * with all it holds), and removes there those that no longer exist here, as Compose v2's watch
 * syncs them (`rm -rf`, then one tar archive unpacked at `/`).
 */
export async function syncFiles(
  engine: Engine,
  containerIds: readonly string[],
  paths: readonly PathMapping[],
): Promise<void> {
  const gone = paths.filter((p) => !existsSync(p.hostPath)).map((p) => p.containerPath)
  const present = paths.filter((p) => existsSync(p.hostPath))
  const failures: string[] = []
  await Promise.all(
    containerIds.map(async (id) => {
      if (gone.length > 0) {
        const sink = new PassThrough().resume()
        const code = await execStreaming(engine, id, ['rm', '-rf', ...gone], sink, sink).catch(() => 1)
        if (code !== 0) failures.push(`removing ${gone.join(', ')} in ${id.slice(0, 12)}`)
      }
      if (present.length === 0) return
      await engine.container.dockerode
        .getContainer(id)
        .putArchive(await archiveOf(present), { path: '/' })
        .catch((error: unknown) => failures.push(`copying into ${id.slice(0, 12)}: ${(error as Error).message}`))
    }),
  )
  if (failures.length > 0) throw new HandleError(`watch could not sync: ${failures.join('; ')}`)
}

/** A tar archive of the files (and directories, with all they hold) at their container paths, relative to `/`. */
async function archiveOf(paths: readonly PathMapping[]): Promise<NodeJS.ReadableStream> {
  const { pack } = await import('../engine/engine-libraries.js')
  // Packed from the directory that holds them all (tar-fs packs nothing outside its directory).
  const base = commonDirectory(paths.map((p) => dirname(p.hostPath)))
  const roots = paths.map((p) => ({ rel: relative(base, p.hostPath), target: p.containerPath.replace(/^\/+/, '') }))
  return pack(base, {
    entries: roots.map((r) => r.rel),
    // An entry under a root (a directory's content) keeps its place below that root's target.
    map: (header) => {
      const root = roots.find((r) => header.name === r.rel || header.name.startsWith(`${r.rel}/`))
      return root ? { ...header, name: root.target + header.name.slice(root.rel.length) } : header
    },
  })
}

/** The deepest directory that holds every one of `dirs`. */
function commonDirectory(dirs: readonly string[]): string {
  const split = dirs.map((d) => d.split(sep))
  const first = split[0] ?? ['']
  let n = 0
  while (n < first.length && split.every((parts) => parts[n] === first[n])) n++
  return first.slice(0, n).join(sep) || sep
}

/** Every entry under `dir`, relative to it, directories before what they hold (a file: none). */
export function listFiles(dir: string): string[] {
  const out: string[] = []
  const walk = (rel: string): void => {
    for (const entry of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const child = rel === '' ? entry.name : `${rel}/${entry.name}`
      out.push(child)
      if (entry.isDirectory()) walk(child)
    }
  }
  if (statSync(dir).isDirectory()) walk('')
  return out
}
