import type http from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { outliveClientKeepAlive } from '../../packages/hub-emulator/src/http.js'

/**
 * Listens on 127.0.0.1 (a free port), keeping idle sockets open longer than clients do, and returns its URL and a
 * close() that also drops open and hung sockets.
 */
export async function listenOnLoopback(
  server: http.Server
): Promise<{ url: string; close(): Promise<void> }> {
  outliveClientKeepAlive(server)
  const sockets = new Set<Socket>()
  server.on('connection', socket => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise(resolve => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      })
  }
}
