import { connect } from 'node:net'

/** What the echo server at `host:port` sends back for one line, within 10 s. */
export function echoOnce(host: string, port: number, line: string): Promise<string> {
  return new Promise((done, fail) => {
    const socket = connect({ host, port }, () => socket.write(`${line}\n`))
    let received = ''
    socket.setTimeout(10_000, () => socket.destroy(new Error(`no echo from ${host}:${port} within 10 s`)))
    socket.on('data', (data: Buffer) => {
      received += data.toString()
      if (received.includes('\n')) socket.end(() => done(received.trim()))
    })
    socket.on('error', fail)
  })
}
