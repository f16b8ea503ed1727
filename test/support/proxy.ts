import http from 'node:http'
import net from 'node:net'
import { listenOnLoopback } from './loopback.js'

/** A loopback forward proxy (CONNECT tunnels and absolute-form requests) that records where it was asked to go. */
export async function startProxy(): Promise<{ url: string; seen: string[]; close(): Promise<void> }> {
  const seen: string[] = []
  const tunnels = new Set<net.Socket>()
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`)
    const target = new URL(req.url ?? '')
    const upstream = http.request(target, { method: req.method, headers: req.headers }, answer => {
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
    })
    req.pipe(upstream)
  })
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    seen.push(`CONNECT ${req.url}`)
    const [host, port] = (req.url ?? '').split(':')
    const upstream = net.connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    for (const socket of [client, upstream]) {
      tunnels.add(socket)
      socket.on('error', () => socket.destroy())
    }
  })
  const { url, close } = await listenOnLoopback(server)
  return {
    url,
    seen,
    close: () => {
      // Tunnels hold both ends open: drop them, then the server.
      for (const socket of tunnels) socket.destroy()
      return close()
    }
  }
}
