/**
 * One HTTP exchange with the Hub on undici, and nothing about retries: the URL on the endpoint, the token only to the
 * endpoint's origin, same-origin redirects, timeouts and the proxy from the environment (HTTPS_PROXY/NO_PROXY).
 */
import { EnvHttpProxyAgent, Pool, request, type Dispatcher } from './undici.js'
import type { Readable } from 'node:stream'
import { PROXY_TUNNEL_CLOSED, type RetryPolicy } from './retry.js'
import { header, type AnswerHeaders } from './types.js'

export type RequestBody = string | Buffer | Readable

export interface HubRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  /** A path on the endpoint, or an absolute URL (an upload target). The token only ever goes to the endpoint's origin. */
  path: string
  /** A body other than JSON, made afresh for each attempt (a stream cannot be sent twice). */
  body?: () => RequestBody
  contentType?: string
  headers?: Record<string, string>
  query?: Record<string, string>
  json?: unknown
  retry: RetryPolicy
  /** Send the token (default). Public catalogue reads go without it, so a bad token surfaces on the Space call. */
  auth?: boolean
}

export interface Answer {
  status: number
  headers: AnswerHeaders
  body: Dispatcher.ResponseData['body']
}

export interface TransportOptions {
  endpoint: string
  token: string | undefined
  userAgent: string
  dispatcher?: Dispatcher
  connectTimeoutMs: number
  /** Time allowed for the headers, and between body chunks. */
  responseTimeoutMs: number
  /** Sees every answer, redirects included (the client reads RateLimit from each). */
  onAnswer: (answer: Pick<Answer, 'status' | 'headers'>, what: string) => void
}

const REDIRECT_STATUSES = new Set([301, 302, 307, 308])
const MAX_REDIRECTS = 3

export class Transport {
  readonly endpoint: string
  /** Requests sent, retries and redirects included. */
  requestCount = 0
  private token: string | undefined
  private readonly dispatcher: Dispatcher
  private readonly ownsDispatcher: boolean

  constructor(private readonly options: TransportOptions) {
    this.endpoint = options.endpoint.replace(/\/+$/, '')
    this.token = options.token
    this.ownsDispatcher = !options.dispatcher
    this.dispatcher =
      options.dispatcher ??
      new EnvHttpProxyAgent({
        connect: { timeout: options.connectTimeoutMs },
        headersTimeout: options.responseTimeoutMs,
        bodyTimeout: options.responseTimeoutMs,
        clientFactory: proxyClient
      })
  }

  /** Authenticates later calls with `token` (a token minted by the OIDC exchange after the client was made). */
  useToken(token: string): void {
    this.token = token
  }

  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.destroy()
  }

  /** Sends `req` once, following same-origin redirects; the caller reads or dumps the body. */
  async send(req: HubRequest, signal: AbortSignal): Promise<Answer> {
    let path = req.path
    const endpoint = new URL(this.endpoint)
    for (let hops = 0; ; hops++) {
      const url = /^https?:\/\//.test(path) ? new URL(path) : new URL(this.endpoint + path)
      // A redirect's own query wins; the request's parameters fill in what it left out.
      for (const [key, value] of Object.entries(req.query ?? {}))
        if (!url.searchParams.has(key)) url.searchParams.set(key, value)
      const headers: Record<string, string> = {
        'user-agent': this.options.userAgent,
        accept: 'application/json',
        ...req.headers
      }
      if (req.auth !== false && this.token && url.origin === endpoint.origin) {
        headers.authorization = `Bearer ${this.token}`
      }
      let body: RequestBody | null = null
      if (req.json !== undefined) {
        headers['content-type'] = 'application/json'
        body = JSON.stringify(req.json)
      } else if (req.body) {
        if (req.contentType) headers['content-type'] = req.contentType
        body = req.body()
      }
      const answer = await this.exchange(url, { method: req.method, headers, body, signal })
      const location = header(answer.headers, 'location')
      // A renamed Space answers 307 with a relative Location. Follow same-origin redirects only: the token
      // must never be sent to another host.
      if (REDIRECT_STATUSES.has(answer.status) && location && hops < MAX_REDIRECTS) {
        const next = new URL(location, url)
        if (next.origin === endpoint.origin) {
          await answer.body.dump()
          path = next.pathname.slice(endpoint.pathname.replace(/\/$/, '').length) + next.search
          continue
        }
      }
      return answer
    }
  }

  /**
   * One GET of a URL outside the API (the app itself), never redirected; `withToken` says whether the token goes
   * along, which only the caller can judge (it knows the app's own origin).
   */
  async get(url: URL, withToken: boolean, signal: AbortSignal): Promise<Answer> {
    const headers: Record<string, string> = { 'user-agent': this.options.userAgent }
    if (withToken && this.token) headers.authorization = `Bearer ${this.token}`
    const answer = await request(url, { method: 'GET', headers, dispatcher: this.dispatcher, signal })
    return { status: answer.statusCode, headers: answer.headers, body: answer.body }
  }

  /** One hop of an API call: counted, bounded by the response timeout, and shown to `onAnswer`. */
  private async exchange(
    url: URL,
    init: { method: string; headers: Record<string, string>; body: RequestBody | null; signal: AbortSignal }
  ): Promise<Answer> {
    this.requestCount++
    const answer = await request(url, {
      ...init,
      dispatcher: this.dispatcher,
      headersTimeout: this.options.responseTimeoutMs,
      bodyTimeout: this.options.responseTimeoutMs
    })
    const result = { status: answer.statusCode, headers: answer.headers, body: answer.body }
    this.options.onAnswer(result, `${init.method} ${url.pathname}`)
    return result
  }
}

/**
 * The client undici's proxy agent uses to reach the proxy. undici 7 keeps re-driving a CONNECT the proxy closed,
 * thousands of times a second, because it reads the socket error as recoverable (nodejs/undici#3897; the fix,
 * nodejs/undici#5441, is in no 7.x release up to 7.30.3, and undici 8 needs Node 22). Failing that CONNECT with an
 * error of its own ends the request, which the client's retry policy counts as one unsent attempt.
 */
function proxyClient(origin: URL, options: object): Dispatcher {
  const pool = new Pool(origin, options)
  // The promise form of the original method, taken before it is replaced below.
  const connect: (options: Dispatcher.ConnectOptions) => Promise<Dispatcher.ConnectData> =
    pool.connect.bind(pool)
  return Object.assign(pool, {
    connect: (connectOptions: Dispatcher.ConnectOptions) =>
      connect(connectOptions).catch((error: unknown) => {
        if (errorCode(error) !== 'UND_ERR_SOCKET') throw error
        throw Object.assign(new Error('The proxy closed the CONNECT tunnel', { cause: error }), {
          code: PROXY_TUNNEL_CLOSED
        })
      })
  })
}

/** The code of a network error (undici's, or Node's under `cause`), else its name. */
export function errorCode(error: unknown): string {
  const seen = new Set<unknown>()
  let current: unknown = error
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current)
    const code = (current as { code?: unknown }).code
    if (typeof code === 'string') return code
    current = (current as { cause?: unknown }).cause
  }
  return error instanceof Error ? error.name : 'UNKNOWN'
}
