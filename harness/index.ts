export {
  Compose,
  type BuildOptions,
  type ComposeSettings,
  type PublishOptions,
  type PullOptions,
  type UpOptions,
} from './api/compose.js'
export type { OneOffRun, RunOptions } from './api/one-off-run.js'
export type { ProjectWatch, WatchOptions } from './api/project-watch.js'
export type { WatchBatchPlan, PathMapping } from './runtime/watch/watch-rules.js'
export { SharedCompose, StackRestoreError, type StackLease } from './api/shared-compose.js'
export { StartedCompose } from './api/started-compose.js'
export { ComposeError, type Problem } from './model/document/compose-error.js'
export { UnknownServiceError } from './model/project/service-selection.js'
export type { ComposeProject, ServiceSpec } from './model/project/types.js'
export { ServiceHandle, type ReadyOptions, type WaitForLogOptions } from './runtime/container/service-handle.js'
export { FaultError, type Fault } from './runtime/container/faults.js'
export {
  EngineGoneError,
  EngineUnreachableError,
  ProjectBusyError,
  ResourceError,
  ServiceStartError,
  type ServiceFailure,
} from './runtime/engine/runtime-errors.js'
export type { BuildEvent, BuildPolicy } from './runtime/images/build-images.js'
export type { ConvergeEvent, ConvergeOptions } from './runtime/up/converge-options.js'
export type { OnProgress, ProgressEvent } from './runtime/engine/progress-events.js'
export type { DownOptions } from './api/down-scope.js'
export { HookFailedError } from './runtime/container/hooks.js'
export type { PullOutcome, PullOverride } from './runtime/images/pull-images.js'
export { PublishError, type OciVersion } from './runtime/images/compose-artifact.js'
export { RegistryError } from './runtime/images/oci-registry.js'
export { RemoteFileError } from './runtime/images/artifact-files.js'
export { fetchRemoteFiles } from './api/remote-files.js'
export type { StopOptions } from './runtime/project/stop-start-kill.js'
export type { RestartOptions } from './runtime/project/restart-project.js'
export type {
  ContainerProcesses,
  ProjectImage,
  ProjectSummary,
  ProjectVolume,
} from './runtime/project/project-queries.js'
export type { ContainerStats } from './runtime/container/container-stats.js'
export type { EventsOptions, ProjectEvent } from './runtime/project/project-events.js'
export type { WaitSpec } from './runtime/container/readiness.js'
