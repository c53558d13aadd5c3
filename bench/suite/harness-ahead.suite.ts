// The echo suite with the harness's vitest fixture, a project each, the next tests' projects
// brought up ahead while the tests before them run (`ahead: 2`).
import { echoTests } from './fixture-tests.js'

echoTests('bench-suite-ahead-', 'test', 2)
