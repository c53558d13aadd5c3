// The same suite of the three-service stack with one stack for the whole file (the fixture's
// `scope: 'file'`): 20 tests, each its turn with the stack, each making a request to the API.
import { stackTests } from './fixture-tests.js'

stackTests('bench-stack-suite-file-', 'file')
