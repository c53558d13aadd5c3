// The same suite with one project for the whole file (the fixture's `scope: 'file'`): 20 tests,
// each its turn with the echo pair, each waiting for the client's echo.
import { echoTests } from './fixture-tests.js'

echoTests('bench-suite-file-', 'file')
