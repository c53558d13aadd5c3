import { existsSync, mkdtempSync, renameSync, rmSync, statSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import { pipeline } from 'node:stream/promises'
import type { Engine } from '../engine/engine.js'
import { HandleError } from '../engine/runtime-errors.js'

/**
 * Copies `source` (a file or directory in the container) to `destination` on this machine, as
 * `docker cp` does: into `destination` when it is an existing directory, else to that name. With
 * `destination` a stream, the tar archive the engine gives is written to it (`cp SVC:PATH -`).
 */
export async function copyFromContainer(
  engine: Engine,
  id: string,
  source: string,
  destination: string | NodeJS.WritableStream,
): Promise<void> {
  const archive = await engine.container.dockerode
    .getContainer(id)
    .getArchive({ path: source })
    .catch((error: unknown): never => {
      throw new HandleError(`cannot copy ${source} out of the container: ${(error as Error).message}`, { cause: error })
    })
  if (typeof destination !== 'string') return pipeline(archive, destination)
  const { extract } = await import('../engine/engine-libraries.js')
  const target = resolve(destination)
  if (existsSync(target) && statSync(target).isDirectory()) return pipeline(archive, extract(target))
  if (!existsSync(dirname(target))) throw new HandleError(`cannot copy to ${target}: ${dirname(target)} does not exist`)
  // The archive holds the source under its own name: unpacked beside the target, then renamed.
  const staging = mkdtempSync(join(dirname(target), '.compose-harness-cp-'))
  try {
    await pipeline(archive, extract(staging))
    renameSync(join(staging, basename(source.replace(/\/+$/, '')) || '.'), target)
  } finally {
    rmSync(staging, { recursive: true, force: true })
  }
}

/**
 * Copies `source` (a file or directory on this machine) to `destination` in the container, as
 * `docker cp` does: into `destination` when it ends with `/` or is a directory there, else to that
 * name (its directory must exist). With `source` a stream, it is a tar archive unpacked at `destination` (`cp - SVC:DIR`).
 */
export async function copyToContainer(
  engine: Engine,
  id: string,
  source: string | NodeJS.ReadableStream,
  destination: string,
): Promise<void> {
  const container = engine.container.dockerode.getContainer(id)
  const put = (archive: NodeJS.ReadableStream, path: string) =>
    container.putArchive(archive, { path }).catch((error: unknown) => {
      throw new HandleError(`cannot copy into the container at ${path}: ${(error as Error).message}`, { cause: error })
    })
  if (typeof source !== 'string') return void (await put(source, destination))
  const from = resolve(source)
  if (!existsSync(from)) throw new HandleError(`cannot copy ${from}: it does not exist`)
  const { pack } = await import('../engine/engine-libraries.js')
  const name = basename(from)
  const intoDirectory = destination.endsWith('/') || (await isDirectory(engine, id, destination))
  if (intoDirectory) return void (await put(pack(dirname(from), { entries: [name] }), destination))
  const renamed = basename(destination)
  const archive = pack(dirname(from), {
    entries: [name],
    map: (header) => ({ ...header, name: renamed + header.name.slice(name.length) }),
  })
  await put(archive, dirname(destination))
}

/** Whether `path` is a directory in the container (false when it does not exist). */
async function isDirectory(engine: Engine, id: string, path: string): Promise<boolean> {
  try {
    const info = (await engine.container.dockerode.getContainer(id).infoArchive({ path })) as {
      headers?: Record<string, string>
    }
    const stat = info.headers?.['x-docker-container-path-stat']
    if (!stat) return false
    const { mode } = JSON.parse(Buffer.from(stat, 'base64').toString('utf8')) as { mode: number }
    // Go's os.ModeDir is the top bit of a 32-bit mode.
    return (mode & 0x80000000) !== 0
  } catch {
    return false
  }
}
