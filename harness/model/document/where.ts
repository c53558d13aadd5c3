/** A place in a compose file: the file, and the line and column where the YAML gives them. */
export interface Where {
  readonly file: string
  readonly line?: number
  readonly col?: number
}

/** A path into the compose document, such as ['services', 'client', 'links', 0]. */
export type YamlPath = readonly (string | number)[]

/** Finds where a path of the (merged) document was written. */
export type Locate = (path: YamlPath) => Where

export function formatWhere(where: Where): string {
  if (where.line === undefined) return where.file
  return where.col === undefined ? `${where.file}:${where.line}` : `${where.file}:${where.line}:${where.col}`
}

export function formatPath(path: YamlPath): string {
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`)).join('')
}
