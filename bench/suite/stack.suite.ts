// The suite of the three-service stack (bench/stack/) with the harness's vitest fixture: 20 tests,
// each with its own stack, up until every service is healthy, each making a request to the API.
import { stackTests } from './fixture-tests.js'

stackTests('bench-stack-suite-')
