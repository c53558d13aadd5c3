// The suite of the three-service stack (bench/stack/) with the harness's vitest fixture, a stack
// each, the next tests' stacks brought up ahead while the tests before them run (`ahead: 2`).
import { stackTests } from './fixture-tests.js'

stackTests('bench-stack-ahead-', 'test', 2)
