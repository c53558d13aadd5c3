import { HarnessError } from '../../errors.js'
import { formatPath, formatWhere, type Where, type YamlPath } from './where.js'

/** One thing wrong with the compose input, at a place the user can find. */
export interface Problem {
  /** The file, and the line and column where the YAML gives them. */
  readonly at: Where
  /** The key's path in the document: `services`, `web`, `ports`, 0. */
  readonly path: YamlPath
  /** What is wrong, and what was expected. */
  readonly detail: string
}

const UNKNOWN_KEY = 'unknown key'

/** What a problem says of a key Compose does not know there, with the keys it knows when given. */
export function unknownKey(known?: readonly string[]): string {
  return known ? `${UNKNOWN_KEY} (expected one of ${known.join(', ')})` : UNKNOWN_KEY
}

/** What a problem says of a top-level key Compose does not know. */
export const UNKNOWN_TOP_LEVEL_KEY = 'unknown top-level key'

/** Whether a problem is of a key Compose does not know (`unknownKey`, or the top level's). */
export function isUnknownKey(p: Problem): boolean {
  return p.detail === UNKNOWN_TOP_LEVEL_KEY || p.detail === UNKNOWN_KEY || p.detail.startsWith(`${UNKNOWN_KEY} (`)
}

export function formatProblem(p: Problem): string {
  const path = p.path.length > 0 ? ` ${formatPath(p.path)}` : ''
  return `${formatWhere(p.at)}${path}: ${p.detail}`
}

/** Everything wrong with the compose input, reported at once, one problem a line. */
export class ComposeError extends HarnessError {
  override readonly name = 'ComposeError'
  readonly problems: readonly Problem[]

  constructor(problems: readonly Problem[], options?: ErrorOptions) {
    super(problems.map(formatProblem).join('\n'), options)
    this.problems = problems
  }
}

/** Collects problems while a stage keeps going, so that the user sees all of them in one run. */
export class Problems {
  readonly #found: Problem[] = []

  constructor(private readonly locate: (path: YamlPath) => Where) {}

  add(path: YamlPath, detail: string): void {
    this.#found.push({ at: this.locate(path), path, detail })
  }

  /** For stages that work on one file before the merge: the place is where `doc` wrote `path` (or the file). */
  addIn(
    doc: { readonly file: string; readonly find: (path: YamlPath) => Where | undefined },
    path: YamlPath,
    detail: string,
  ): void {
    this.#found.push({ at: doc.find(path) ?? { file: doc.file }, path, detail })
  }

  /** Throws them all, in the order of the files, lines and columns they were found at. */
  throwIfAny(): void {
    if (this.#found.length === 0) return
    const byPlace = (a: Problem, b: Problem): number =>
      this.fileOrder(a.at.file) - this.fileOrder(b.at.file) ||
      (a.at.line ?? 0) - (b.at.line ?? 0) ||
      (a.at.col ?? 0) - (b.at.col ?? 0)
    throw new ComposeError([...this.#found].sort(byPlace))
  }

  private fileOrder(file: string): number {
    return this.#found.findIndex((p) => p.at.file === file)
  }
}
