// What the runtime uses of testcontainers, dockerode and tar-fs, re-exported from one module that is
// loaded when the engine is first reached, not at start-up (`config` and `--help` never need it).
// The CLI's bundle makes it one chunk, read at once instead of module by module from node_modules.
export { GenericContainer, Wait, getContainerRuntimeClient } from 'testcontainers'
// The version a service's container names in Testcontainers' labels, as Testcontainers' own containers do.
export { LIB_VERSION as TESTCONTAINERS_VERSION } from 'testcontainers/build/version.js'
export { default as Dockerode } from 'dockerode'
export { extract, pack } from 'tar-fs'
