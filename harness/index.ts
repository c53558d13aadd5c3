export { Compose, type BuildOptions, type ComposeSettings, type UpOptions } from './api/compose.js'
export type { OneOffRun, RunOptions } from './api/one-off-run.js'
export { SharedCompose, StackRestoreError, type StackLease } from './api/shared-compose.js'
export { StartedCompose } from './api/started-compose.js'
export { ComposeError, type Problem } from './model/compose-error.js'
export { UnknownServiceError } from './model/service-selection.js'
export type { ComposeProject, ServiceSpec } from './model/types.js'
export { ServiceHandle, type ReadyOptions, type WaitForLogOptions } from './runtime/service-handle.js'
export { FaultError, type Fault } from './runtime/faults.js'
export {
  EngineGoneError,
  EngineUnreachableError,
  ProjectBusyError,
  ResourceError,
  ServiceStartError,
  type ServiceFailure,
} from './runtime/runtime-errors.js'
export type { BuildEvent, BuildPolicy } from './runtime/build-images.js'
export type { ConvergeEvent, ConvergeOptions } from './runtime/converge-options.js'
export type { DownOptions } from './runtime/down.js'
export { HookFailedError } from './runtime/hooks.js'
export type { PullOutcome, PullOverride } from './runtime/pull-images.js'
export type { StopOptions } from './runtime/stop-project.js'
export type { WaitSpec } from './runtime/readiness.js'
