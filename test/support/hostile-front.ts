/**
 * Bad days on the network, on loopback, for end-to-end runs of the built action:
 * - `startFront`: a reverse proxy in front of the Hub emulator (use its url as the endpoint). Every request reaches
 *   the emulator, which records and applies it as usual; a matching rule then spoils the answer on the way back:
 *   `trickle` sends the body one byte per `intervalMs` (each byte well inside undici's body timeout), `drop` destroys
 *   the connection instead of answering (a reset after the Hub applied the request).
 * - `startClosingProxy`: a forward proxy that accepts each CONNECT and closes it at once (nodejs/undici#3897).
 */
import http from 'node:http'
import type net from 'node:net'
import { listenOnLoopback } from './loopback.js'

export interface FrontRule {
  method: string
  path: string | RegExp
  kind: 'trickle' | 'drop'
  /** How many matching requests it spoils; default Infinity. */
  times?: number
  /** trickle: milliseconds between bytes; default 1000. */
  intervalMs?: number
}

export interface Front {
  url: string
  rule(rule: FrontRule): void
  close(): Promise<void>
}

export async function startFront(upstream: string): Promise<Front> {
  const rules: (FrontRule & { left: number })[] = []
  const timers = new Set<NodeJS.Timeout>()
  const take = (method: string, path: string): FrontRule | undefined => {
    const rule = rules.find(
      r =>
        r.left > 0 &&
        r.method === method &&
        (typeof r.path === 'string' ? r.path === path : r.path.test(path))
    )
    if (rule) rule.left--
    return rule
  }
  const server = http.createServer((req, res) => {
    const target = new URL(req.url ?? '/', upstream)
    const rule = take(req.method ?? 'GET', target.pathname)
    const forward = http.request(target, { method: req.method, headers: req.headers }, answer => {
      if (rule?.kind === 'drop') {
        answer.resume()
        answer.on('end', () => req.socket.destroy())
        return
      }
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      if (rule?.kind !== 'trickle') {
        answer.pipe(res)
        return
      }
      const chunks: Buffer[] = []
      answer.on('data', (chunk: Buffer) => chunks.push(chunk))
      answer.on('end', () => {
        const body = Buffer.concat(chunks)
        let sent = 0
        const tick = (): void => {
          if (sent >= body.length || res.destroyed) return void res.end()
          res.write(body.subarray(sent, sent + 1))
          sent++
          const timer = setTimeout(() => {
            timers.delete(timer)
            tick()
          }, rule.intervalMs ?? 1000)
          timers.add(timer)
        }
        tick()
      })
    })
    forward.on('error', () => res.destroy())
    req.pipe(forward)
  })
  const { url, close } = await listenOnLoopback(server)
  return {
    url,
    rule: rule => rules.push({ ...rule, left: rule.times ?? Infinity }),
    close: () => {
      for (const timer of timers) clearTimeout(timer)
      return close()
    }
  }
}

/** A forward proxy that closes every CONNECT tunnel as soon as it is asked for one, and counts them. */
export async function startClosingProxy(): Promise<{
  url: string
  connects(): number
  close(): Promise<void>
}> {
  let connects = 0
  const server = http.createServer((_req, res) => res.socket?.destroy())
  server.on('connect', (_req: http.IncomingMessage, client: net.Socket) => {
    connects++
    client.destroy()
  })
  const { url, close } = await listenOnLoopback(server)
  return { url, connects: () => connects, close }
}
