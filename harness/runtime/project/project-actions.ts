import { downProject, type DownOptions } from './down.js'
import { startProject, stopProject, type StopOptions } from './stop-start-kill.js'
import type { Engine } from '../engine/engine.js'
import { withProjectLock, type LockHolder } from './project-lock.js'
import { restartProject, type RestartOptions } from './restart-project.js'

/** What a project action takes: `down`'s options, the others' (`kill` takes none). */
export interface ProjectActionOptions {
  readonly down: DownOptions
  readonly stop: StopOptions
  readonly start: Pick<StopOptions, 'services' | 'hooks' | 'onProgress'>
  readonly restart: RestartOptions
}

export type ProjectAction = keyof ProjectActionOptions

const ACTIONS: {
  readonly [A in ProjectAction]: (engine: Engine, project: string, options: ProjectActionOptions[A]) => Promise<void>
} = {
  down: downProject,
  stop: stopProject,
  start: startProject,
  restart: restartProject,
}

/**
 * `down`, `stop`, `start` or `restart` of a project, under the project's lock (project-lock.ts),
 * so that it never runs in the middle of another run's `up` of the same project. (`kill` takes no
 * lock: it is the second Ctrl+C, which must not wait for the graceful stop it cuts short.)
 */
export async function changeProject<A extends ProjectAction>(
  engine: Engine,
  project: string,
  action: A,
  options: ProjectActionOptions[A],
  onWait?: (holder: LockHolder) => void,
): Promise<void> {
  await withProjectLock(engine, project, { action, ...(onWait && { onWait }) }, () =>
    ACTIONS[action](engine, project, options),
  )
}
