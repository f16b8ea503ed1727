import http from 'node:http'
import { listenOnLoopback } from './loopback.js'

export type Reply = { status: number; headers?: Record<string, string>; body?: string } | 'reset' | 'hang'

export interface Seen {
  method: string
  url: string
  headers: http.IncomingHttpHeaders
  body: string
}

/** A loopback server that answers each request with the next scripted reply (the last one repeats). */
export async function scriptedServer(
  replies: Reply[]
): Promise<{ url: string; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = []
  let index = 0
  const server = http.createServer((req, res) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (chunk: string) => (body += chunk))
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body })
      const reply = replies[Math.min(index++, replies.length - 1)] as Reply
      if (reply === 'reset') {
        req.socket.destroy()
        return
      }
      if (reply === 'hang') return
      res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', ...reply.headers })
      res.end(reply.body ?? '')
    })
  })
  const { url, close } = await listenOnLoopback(server)
  return { url, seen, close }
}
