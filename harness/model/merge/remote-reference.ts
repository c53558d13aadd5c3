import { resolve } from 'node:path'
import { isMapping } from '../document/values.js'

/** What a compose file's name starts with when it is a project published to a registry (`publish`), as Compose v2 names one. */
export const OCI_PREFIX = 'oci://'

/** Whether `file` names a project in a registry (`oci://REGISTRY/REPOSITORY[:TAG]`) rather than a file of this machine. */
export const isRemoteFile = (file: string): boolean => file.startsWith(OCI_PREFIX)

/**
 * Where a file named in another (`include`, `extends.file`) is read: the local copy of a project
 * in a registry, fetched beforehand (`fetched`, by reference; the reference itself when it was
 * not), else the path from `directory`.
 */
export function localPath(file: string, directory: string, fetched?: Readonly<Record<string, string>>): string {
  return isRemoteFile(file) ? (fetched?.[file] ?? file) : resolve(directory, file)
}

/** Why a project in a registry that a file names could not be read: it was not fetched first. */
export function notFetched(file: string): string {
  return `${file} is a project in a registry, not fetched before the files were read: the CLI fetches it; with the API, \`Compose.fromSettings(await fetchRemoteFiles(settings))\``
}

/**
 * The projects in registries that a compose file's documents name for `include` and for a
 * service's `extends.file`, as written (a reference built from variables is not seen here).
 */
export function remoteReferences(documents: readonly Record<string, unknown>[]): string[] {
  const found: unknown[] = []
  for (const doc of documents) {
    for (const entry of Array.isArray(doc.include) ? (doc.include as unknown[]) : []) {
      const path: unknown = typeof entry === 'string' ? entry : (entry as { path?: unknown } | null)?.path
      found.push(...(Array.isArray(path) ? (path as unknown[]) : [path]))
    }
    if (isMapping(doc.services))
      for (const service of Object.values(doc.services))
        found.push((service as { extends?: { file?: unknown } } | null)?.extends?.file)
  }
  return [...new Set(found.filter((f): f is string => typeof f === 'string' && isRemoteFile(f)))]
}
