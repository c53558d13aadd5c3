/** One way in which the harness and Compose v2 did not do the same thing with the same files. */
export type Finding =
  /** Both loaded the files; `config --format json` differs at `path` (after `canonicalModel`). */
  | { readonly kind: 'model'; readonly path: string; readonly harness: unknown; readonly reference: unknown }
  /** One tool refused the files; the message is the refusing side's, undefined for the side that loaded them. */
  | { readonly kind: 'validity'; readonly harness?: string | undefined; readonly reference?: string | undefined }
  /** After `up -d`, a container, network or volume differs at `path` (after `projectFacts`). */
  | { readonly kind: 'container'; readonly path: string; readonly harness: unknown; readonly reference: unknown }
  /** A tool's `build`, or `up -d`, failed where it should not have; the message is each failing side's. */
  | { readonly kind: 'build' | 'up'; readonly harness?: string | undefined; readonly reference?: string | undefined }
  /** After `build`, an image differs at `path` (after `imageFacts`). */
  | { readonly kind: 'image'; readonly path: string; readonly harness: unknown; readonly reference: unknown }
  /** A step of a scenario left a container, network or volume in a different state (kept, recreated, …). */
  | {
      readonly kind: 'lifecycle'
      readonly step: string
      readonly resource: string
      readonly harness: string
      readonly reference: string
    }
  /** Under `--dry-run`, a line of progress that one tool printed more times than the other. */
  | {
      readonly kind: 'dry-run'
      readonly command: string
      readonly line: string
      readonly harness: number
      readonly reference: number
    }
  /** A command line that printed something else, or ended with another exit code (each side's lines, sorted). */
  | {
      readonly kind: 'command'
      readonly command: string
      readonly harness: CommandOutcome
      readonly reference: CommandOutcome
    }

/** What a command line did, as a differential compares it: its exit code and the lines of each stream. */
export interface CommandOutcome {
  readonly code: number
  readonly stdout: readonly string[]
  readonly stderr: readonly string[]
}

export function formatFinding(f: Finding): string {
  const show = (v: unknown) => (v === undefined ? '(absent)' : JSON.stringify(v))
  switch (f.kind) {
    case 'model':
    case 'container':
    case 'image':
      return `${f.kind} ${f.path || '(whole)'}: harness ${show(f.harness)}, Compose v2 ${show(f.reference)}`
    case 'validity':
      return f.harness !== undefined
        ? `validity: the harness refuses the files, Compose v2 loads them. The harness says: ${f.harness}`
        : `validity: Compose v2 refuses the files, the harness loads them. Compose v2 says: ${f.reference}`
    case 'build':
    case 'up': {
      const does = f.kind === 'build' ? 'builds' : 'brings it up'
      const where = f.kind === 'build' ? ' on an engine that should build it' : ''
      if (f.harness !== undefined && f.reference !== undefined)
        return `${f.kind}: both fail${where}. The harness says: ${f.harness}; Compose v2 says: ${f.reference}`
      return f.harness !== undefined
        ? `${f.kind}: the harness fails, Compose v2 ${does}. The harness says: ${f.harness}`
        : `${f.kind}: Compose v2 fails, the harness ${does}. Compose v2 says: ${f.reference}`
    }
    case 'lifecycle':
      return `lifecycle ${f.step}: ${f.resource} ${f.harness} by the harness, ${f.reference} by Compose v2`
    case 'dry-run':
      return `--dry-run ${f.command}: "${f.line}" printed ${f.harness} time(s) by the harness, ${f.reference} by Compose v2`
    case 'command':
      return `${f.command}: the harness ${show(f.harness)}, Compose v2 ${show(f.reference)}`
  }
}
