import { Problems } from './compose-error.js'
import { mergeCompose } from './merge.js'
import { normalize, type NormalizeOptions } from './normalize.js'
import { parseCompose } from './parse.js'
import { planStartup, type StartupPlan } from './plan.js'
import { validate, type ValidProject } from './validate.js'

export interface ComposeSource {
  /** Shown in messages; an absolute path for files read from disk. */
  readonly file: string
  readonly text: string
}

export interface LoadedCompose {
  readonly project: ValidProject
  readonly plan: StartupPlan
}

/** The whole pipeline, from the files' text to a project ready to run: parse → merge → normalize → validate → plan. */
export function loadCompose(sources: readonly ComposeSource[], options: NormalizeOptions): LoadedCompose {
  const merged = mergeCompose(sources.map((s) => parseCompose(s.file, s.text)))
  const problems = new Problems(merged.locate)
  const project = validate(normalize(merged, options, problems), problems)
  return { project, plan: planStartup(project) }
}
