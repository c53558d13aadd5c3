import { createServer, type Server } from 'node:net'
import { afterAll, describe, expect, it } from 'vitest'
import { listensOn, probeTcp } from '../../../harness/runtime/container/port-probe.js'

const TABLE = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0000000000000000 100 0 0 10 0
   1: 0500120A:07D0 0600120A:C350 01 00000000:00000000 00:00000000 00000000     0        0 2 1 0000000000000000 20 4 30 10 -1
`
const TABLE6 = `  sl  local_address                         remote_address                        st
   0: 00000000000000000000000000000000:1B58 00000000000000000000000000000000:0000 0A`

describe('listensOn', () => {
  it('finds a listening socket by port in /proc/net/tcp and tcp6', () => {
    expect(listensOn(TABLE, 8080)).toBe(true)
    expect(listensOn(TABLE6, 7000)).toBe(true)
  })

  it('does not count a connection that is only established on the port, nor another port', () => {
    expect(listensOn(TABLE, 2000)).toBe(false)
    expect(listensOn(TABLE, 8081)).toBe(false)
    expect(listensOn('', 8080)).toBe(false)
  })
})

describe('probeTcp', () => {
  let server: Server | undefined
  afterAll(() => server?.close())

  it('tells a listener from a refusal on loopback', async () => {
    server = createServer((socket) => socket.end())
    const port = await new Promise<number>((resolve) =>
      server!.listen(0, '127.0.0.1', () => resolve((server!.address() as { port: number }).port)),
    )
    expect(await probeTcp('127.0.0.1', port)).toBe('open')
    await new Promise((resolve) => server!.close(resolve))
    server = undefined
    expect(await probeTcp('127.0.0.1', port)).toBe('refused')
  })
})
