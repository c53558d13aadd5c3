// The suite as a team writes it with the harness's vitest fixture: 20 tests, each with its own
// project of the echo pair, each waiting for the client's first echo.
import { echoTests } from './fixture-tests.js'

echoTests('bench-suite-')
