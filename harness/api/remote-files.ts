import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { parseComposeDocuments } from '../model/document/parse.js'
import { isRemoteFile, OCI_PREFIX, remoteReferences } from '../model/merge/remote-reference.js'
import type { ComposeSettings } from './compose.js'

/** The projects in registries a compose file's text names for `include` or `extends` (none when it does not parse: the load says why). */
function referencesIn(file: string, text: string): string[] {
  if (!text.includes(OCI_PREFIX)) return []
  try {
    return remoteReferences(parseComposeDocuments(file, text).map((d) => d.value))
  } catch {
    return []
  }
}

/** A file's text; nothing when it cannot be read (the load says why). */
function textOf(file: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return ''
  }
}

/**
 * `settings` with each project in a registry that the files name fetched (a project `publish`
 * pushed: `-f oci://REGISTRY/REPOSITORY[:TAG]`, and an `include` or `extends.file` of one, in the
 * files and in what is fetched), as Compose v2 reads them. A file `-f` names is read from its local
 * copy; its relative paths start in the copy of the first such file, and the project is named after
 * the project directory (`projectDirectory`, else the current directory when the first file is a
 * fetched one), whose `.env` it reads. Settings whose files name no such project are returned as
 * they are.
 *
 * @example
 * ```ts
 * const compose = Compose.fromSettings(await fetchRemoteFiles({ files: ['oci://registry.example/team/app:1'] }))
 * ```
 */
export async function fetchRemoteFiles(settings: ComposeSettings): Promise<ComposeSettings> {
  const wanted = settings.files.flatMap((file) =>
    isRemoteFile(file) ? [file] : referencesIn(file, file === '-' ? (settings.standardInput ?? '') : textOf(file)),
  )
  if (wanted.length === 0) return settings
  const { fetchComposeArtifact } = await import('../runtime/images/fetch-artifact.js')
  const environment = settings.environment ?? process.env
  const fetched: Record<string, string> = { ...settings.fetched }
  // What a fetched project names is fetched in turn.
  for (let next = wanted.shift(); next !== undefined; next = wanted.shift()) {
    if (next in fetched) continue
    const local = await fetchComposeArtifact(next, environment)
    fetched[next] = local
    wanted.push(...referencesIn(local, textOf(local)))
  }
  const files = settings.files.map((file) => (isRemoteFile(file) ? fetched[file]! : file))
  const firstRemote = settings.files.find(isRemoteFile)
  const first = settings.files.find((f) => f !== '-')
  return {
    ...settings,
    files,
    fetched,
    ...(firstRemote && {
      filesDirectory: dirname(fetched[firstRemote]!),
      projectDirectory: resolve(settings.projectDirectory ?? (isRemoteFile(first!) ? '.' : dirname(first!))),
    }),
  }
}
