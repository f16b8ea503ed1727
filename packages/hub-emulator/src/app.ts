/**
 * The apps of Spaces that have `SpaceSpec.app`: one tiny HTTP server per Space on 127.0.0.1 (a random port),
 * started when the Space gets its `app` and closed with the emulator. The app answers 503 while the Space is not
 * RUNNING or is still warming up (`warmupMs` after it became RUNNING, on the emulator's clock), then the status
 * configured for the path (default 200 for `/`, 404 elsewhere): HTML for `/`, a small JSON body elsewhere.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { outliveClientKeepAlive } from './http.js'
import type { Space } from './spaces.js'
import type { Clock, RecordedRequest } from './types.js'

interface App {
  server: Server
  listening: Promise<number>
  requests: RecordedRequest[]
}

function flatten(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value
  }
  return headers
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!)
}

export class AppServers {
  private readonly apps = new Map<string, App>()

  constructor(
    private readonly clock: Clock,
    private readonly lookup: (id: string) => Space | undefined
  ) {}

  /** Starts the app of `space` if it has one and it is not running yet. */
  ensure(space: Space): void {
    if (space.app === undefined) return
    const existing = this.apps.get(space.id)
    if (existing !== undefined) {
      // A Space re-created under the same id keeps the app server.
      existing.listening.then(
        port => {
          space.appPort = port
        },
        () => undefined
      )
      return
    }
    const id = space.id
    const requests: RecordedRequest[] = []
    const server = createServer((req, res) => this.answer(id, req, res, requests))
    outliveClientKeepAlive(server)
    const listening = new Promise<number>((resolve, reject) => {
      server.once('error', reject)
      server.listen(0, '127.0.0.1', () => {
        const address = server.address()
        const port = typeof address === 'object' && address !== null ? address.port : 0
        const current = this.lookup(id)
        if (current !== undefined) current.appPort = port
        resolve(port)
      })
    })
    this.apps.set(id, { server, listening, requests })
  }

  /** Resolves once every started app listens (so that runtimes report their ports). */
  async ready(): Promise<void> {
    await Promise.all([...this.apps.values()].map(app => app.listening))
  }

  async url(id: string): Promise<string | undefined> {
    const app = this.apps.get(id)
    if (app === undefined) return undefined
    return `http://127.0.0.1:${await app.listening}`
  }

  requests(id: string): RecordedRequest[] {
    return (this.apps.get(id)?.requests ?? []).map(r => ({
      ...r,
      query: { ...r.query },
      headers: { ...r.headers }
    }))
  }

  async close(): Promise<void> {
    await Promise.all(
      [...this.apps.values()].map(
        app =>
          new Promise<void>(resolve => {
            app.server.close(() => resolve())
            app.server.closeAllConnections()
          })
      )
    )
    this.apps.clear()
  }

  private answer(id: string, req: IncomingMessage, res: ServerResponse, log: RecordedRequest[]): void {
    req.resume()
    const now = this.clock.now()
    const url = new URL(req.url ?? '/', 'http://app.invalid')
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: flatten(req),
      body: '',
      status: 0,
      at: now
    }
    log.push(record)
    const space = this.lookup(id)
    const since = space?.runningSince(now)
    let status: number
    let body: string
    let type: string
    if (space?.app === undefined) {
      status = 404
      type = 'text/html; charset=utf-8'
      body = '<!doctype html><title>404</title><p>This Space does not exist.</p>\n'
    } else if (since === undefined || now < since + (space.app.warmupMs ?? 0)) {
      status = 503
      type = 'text/html; charset=utf-8'
      body = `<!doctype html><title>Starting</title><p>${escapeHtml(id)} is not ready yet.</p>\n`
    } else {
      status = space.app.routes?.[url.pathname] ?? (url.pathname === '/' ? 200 : 404)
      if (url.pathname === '/') {
        type = 'text/html; charset=utf-8'
        body = `<!doctype html><title>${escapeHtml(id)}</title><p>${escapeHtml(id)} (Hub emulator app): ${status}</p>\n`
      } else {
        type = 'application/json; charset=utf-8'
        body = JSON.stringify({ space: id, path: url.pathname, status })
      }
    }
    record.status = status
    record.responseBody = body
    res.writeHead(status, { 'Content-Type': type, 'Content-Length': String(Buffer.byteLength(body)) })
    res.end(body)
  }
}
