/**
 * One API run against whatever engine DOCKER_HOST names, in a process of its own (testcontainers
 * keeps one engine a process): `tsx remote-api-run.ts FILE PROJECT`. It brings the project up
 * (reaped, with a port and an HTTP wait), reaches it from this process, prints what it found as one
 * JSON line, and brings it down. remote-engine.spec.ts checks the line and what the engine has left.
 */
import { Compose } from '../../../harness/index.js'
import { echoOnce } from './echo-once.js'

const [file, project] = process.argv.slice(2)
await using started = await Compose.fromFiles(file!)
  .withProjectName(project!)
  .up({ waitFor: { 'echo-server': { port: 2000 }, web: { http: { port: 8080 } } } })
const server = started.service('echo-server')
const web = started.service('web')
const serverAt = { host: await server.host(2000), port: await server.mappedPort(2000) }
const webAt = { host: await web.host(8080), port: await web.mappedPort(8080) }
const page = await (await fetch(`http://${webAt.host}:${webAt.port}/`)).text()
console.log(
  JSON.stringify({
    serverAt,
    webAt,
    echoed: await echoOnce(serverAt.host, serverAt.port, 'ping from the test'),
    page: page.trim(),
    webHostname: (await web.exec(['hostname'])).stdout.trim(),
    clientEchoes: await started.service('client').waitForLog(/Received: Hello, world/, { times: 2 }),
    // The images the containers run, built there from their Dockerfiles under the project's name.
    images: [(await server.inspect()).Config.Image, (await started.service('client').inspect()).Config.Image],
  }),
)
