import { Problems } from '../document/compose-error.js'
import { resolveExtends } from '../merge/extends.js'
import { applyInclude } from '../merge/include.js'
import { interpolate } from '../interpolate/interpolate.js'
import { mergeCompose } from '../merge/merge.js'
import { normalize, type NormalizeOptions } from './normalize.js'
import { parseComposeDocuments, type ParsedCompose } from '../document/parse.js'
import { chooseProjectName } from '../project/project-name.js'
import { substitute, type Lookup } from '../interpolate/interpolation-syntax.js'
import { planStartup, type StartupPlan } from './plan.js'
import { validate, type ValidProject } from './validate.js'
import type { Locate } from '../document/where.js'
import { rawModel } from './raw-model.js'

export interface ComposeSource {
  /** Shown in messages; an absolute path for files read from disk. */
  readonly file: string
  readonly text: string
}

export interface LoadedCompose {
  readonly project: ValidProject
  readonly plan: StartupPlan
  /** Where a path of the merged document was written, for problems found later (at `up`). */
  readonly locate: Locate
  /** The merged document as the files wrote it (interpolated, `include` and `extends` applied): what `config --no-normalize` keeps to. */
  readonly written: Record<string, unknown>
}

/**
 * The whole pipeline, from the files' text to a project ready to run:
 * parse → interpolate → include → extends → merge → normalize (with profiles) → validate → plan.
 * Each document of a file (`---` between them) is taken as a file of its own, as Compose v2 takes it.
 * Every problem of every stage is reported in one ComposeError.
 */
export function loadCompose(sources: readonly ComposeSource[], given: NormalizeOptions): LoadedCompose {
  const parsed = sources.flatMap((s) => parseComposeDocuments(s.file, s.text))
  // Warnings of the files that `include` and `extends` name, which are interpolated as they are read.
  const nested: string[] = []
  const options = { ...given, lookup: withProjectName(parsed, given), warn: (w: string) => nested.push(w) }
  // Interpolation runs on each file before the merge and places its problems itself.
  const early = new Problems(() => ({ file: sources[0]?.file ?? '' }))
  const interpolated = parsed.map((doc) => interpolate(doc, options.lookup, early))
  // Each file's `include` and `extends` are resolved within that file, before the files are merged, as Compose v2 does.
  const extended = interpolated.map((i) => resolveExtends(applyInclude(i.doc, options, early), options, early))
  early.throwIfAny()
  const merged = mergeCompose(extended)
  const problems = new Problems(merged.locate)
  const normalized = normalize(merged, options, problems)
  const project = validate(
    {
      ...normalized,
      warnings: [...new Set([...normalized.warnings, ...interpolated.flatMap((i) => i.warnings), ...nested])],
    },
    problems,
    given.consistency,
  )
  return { project, plan: planStartup(project), locate: merged.locate, written: merged.value }
}

/**
 * The plain model `config --no-interpolate` prints, as compose-go loads it without interpolation:
 * parse → include → extends → merge → canonical forms, paths, normalization (`raw-model.ts`). No
 * value is interpolated, so none is read into the typed model or checked as `loadCompose` checks it;
 * the problems the merge stages find (a missing file or base, a cycle) are thrown as there.
 */
export function loadRawModel(sources: readonly ComposeSource[], given: NormalizeOptions): Record<string, unknown> {
  const parsed = sources.flatMap((s) => parseComposeDocuments(s.file, s.text))
  const options = { ...given, interpolate: false }
  const early = new Problems(() => ({ file: sources[0]?.file ?? '' }))
  const extended = parsed.map((doc) => resolveExtends(applyInclude(doc, options, early), options, early))
  early.throwIfAny()
  const written = parsed.map((doc) => doc.value.name).findLast((n) => typeof n === 'string')
  const { name } = chooseProjectName({
    explicit: given.projectName,
    environment: given.lookup('COMPOSE_PROJECT_NAME'),
    topLevel: written,
    directory: given.nameDirectory ?? given.projectDirectory,
    asWritten: given.normalizeName === false,
  })
  const merged = mergeCompose(extended, { keyValues: 'sequence' })
  return rawModel(
    merged.value,
    {
      projectName: name,
      projectDirectory: given.projectDirectory,
      home: given.lookup('HOME'),
      resolvePaths: given.resolvePaths !== false,
      normalize: given.normalizeName !== false,
    },
    new Problems(merged.locate),
  )
}

/**
 * The files' variables with COMPOSE_PROJECT_NAME set to the project's name when the environment
 * does not set it, as Compose v2 sets it: `${COMPOSE_PROJECT_NAME}` and `environment:
 * [COMPOSE_PROJECT_NAME]` give the name. The name comes from `-p`, then the last file's `name:`
 * (itself interpolated without it), then the directory.
 */
function withProjectName(parsed: readonly ParsedCompose[], options: NormalizeOptions): Lookup {
  const lookup = options.lookup
  if (lookup('COMPOSE_PROJECT_NAME') !== undefined) return lookup
  const written = parsed.map((doc) => doc.value.name).findLast((n) => typeof n === 'string')
  let topLevel: string | undefined
  try {
    topLevel = typeof written === 'string' ? substitute(written, lookup, () => {}) : undefined
  } catch {
    // A bad `name:` is reported where the files are interpolated.
  }
  const { name } = chooseProjectName({
    explicit: options.projectName,
    topLevel,
    directory: options.nameDirectory ?? options.projectDirectory,
    asWritten: options.normalizeName === false,
  })
  return (variable) => (variable === 'COMPOSE_PROJECT_NAME' ? name : lookup(variable))
}
