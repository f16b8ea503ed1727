/**
 * The one HTTP client for the Hub, on undici: base URL, auth, user agent, timeouts, proxy (HTTPS_PROXY/NO_PROXY),
 * retries with capped jittered backoff that honour Retry-After and RateLimit, and errors as HubError values.
 * Nothing else in the action builds a URL or reads a status code.
 */
import { EnvHttpProxyAgent, request, type Dispatcher } from './undici.js'
import type { Readable } from 'node:stream'
import { ActionError } from '../errors.js'
import { cancelled, realClock, type Clock } from '../clock.js'
import { hubError, serverMessage, type HubErrorDetails } from './errors.js'

/**
 * When a failed request may be sent again.
 * - `idempotent`: repeating it cannot change the outcome (reads; setting hardware or sleep time to a value; pause).
 * - `unsent`: repeat only when the Hub cannot have acted on it (429, connection refused), because a second
 *   copy would do the work twice (a restart throws away the build the first one started).
 */
export type RetryPolicy = 'idempotent' | 'unsent'

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
  /** Accept a body that is not JSON and return it as text (`DELETE /api/repos/delete` answers `OK`). */
  textOk?: boolean
  /** Return the body as text, never parsed (a raw file). */
  raw?: boolean
}

export interface RateLimit {
  remaining: number
  resetSeconds: number
  /** Clock time when it was read. */
  at: number
}

export interface HubClientOptions {
  endpoint: string
  token: string | undefined
  userAgent: string
  clock?: Clock
  random?: () => number
  signal?: AbortSignal
  dispatcher?: Dispatcher
  /** Attempts per request, the first included. */
  maxAttempts?: number
  connectTimeoutMs?: number
  /** Time allowed for the headers, and between body chunks. */
  responseTimeoutMs?: number
  /** A Retry-After longer than this is not waited for: the error is reported with the reset time instead. */
  maxRetryAfterMs?: number
  debug?: (line: string) => void
}

interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: Dispatcher.ResponseData['body']
}

const RETRY_STATUSES = new Set([408, 429, 500, 502, 503, 504])
const REDIRECT_STATUSES = new Set([301, 302, 307, 308])
/** Errors raised before the request reached the server: safe to repeat for any request. */
const UNSENT_ERRORS = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT'])
const BACKOFF_BASE_MS = 1000
const BACKOFF_CAP_MS = 8000

export class HubClient {
  readonly endpoint: string
  /** The last RateLimit header seen, for callers that pace themselves (the wait loop). */
  rateLimit: RateLimit | undefined
  /** Requests sent, retries included. */
  requestCount = 0

  private readonly options: Required<Omit<HubClientOptions, 'token' | 'signal' | 'dispatcher'>> &
    Pick<HubClientOptions, 'token' | 'signal'>
  private readonly dispatcher: Dispatcher
  private readonly ownsDispatcher: boolean

  constructor(options: HubClientOptions) {
    this.endpoint = options.endpoint.replace(/\/+$/, '')
    this.options = {
      clock: realClock,
      random: Math.random,
      maxAttempts: 5,
      connectTimeoutMs: 10_000,
      responseTimeoutMs: 30_000,
      maxRetryAfterMs: 60_000,
      debug: () => undefined,
      ...options
    }
    this.ownsDispatcher = !options.dispatcher
    this.dispatcher =
      options.dispatcher ??
      new EnvHttpProxyAgent({
        connect: { timeout: this.options.connectTimeoutMs },
        headersTimeout: this.options.responseTimeoutMs,
        bodyTimeout: this.options.responseTimeoutMs
      })
  }

  /** Sends the request and returns the parsed JSON body (null when empty). `signal` can end it early (a deadline). */
  async json(req: HubRequest, signal?: AbortSignal): Promise<unknown> {
    return this.withRetries(req, signal, async answer => {
      const text = await answer.body.text()
      if (req.raw) return text
      if (!text.trim()) return null
      try {
        return JSON.parse(text) as unknown
      } catch {
        if (req.textOk) return text
        throw new ActionError(
          'bad-response',
          `${req.method} ${req.path} answered ${answer.status} with a body that is not JSON: ${text.slice(0, 120)}`,
          'Retry the job; if it persists the Hub may be degraded.',
          answer.status
        )
      }
    })
  }

  /** A page of a listing, and the path of the next one from `Link: <…>; rel="next"` (same origin only). */
  async page(req: HubRequest): Promise<{ body: unknown; next: string | null }> {
    return this.withRetries(req, undefined, async answer => {
      const text = await answer.body.text()
      let body: unknown
      try {
        body = JSON.parse(text)
      } catch {
        throw new ActionError(
          'bad-response',
          `${req.method} ${req.path} answered with a page that is not JSON.`
        )
      }
      const link = /<([^>]+)>\s*;\s*rel="?next"?/.exec(header(answer.headers, 'link') ?? '')?.[1]
      const next = link ? new URL(link, this.endpoint) : null
      const sameOrigin = next && next.origin === new URL(this.endpoint).origin
      return { body, next: sameOrigin ? next.pathname + next.search : null }
    })
  }

  /** Sends the request and hands back the open body stream (server-sent events). The caller must consume or destroy it. */
  async stream(req: HubRequest, signal?: AbortSignal): Promise<Readable> {
    return this.withRetries(req, signal, answer => Promise.resolve(answer.body))
  }

  /** Authenticates later calls with `token` (a token minted by the OIDC exchange after the client was made). */
  useToken(token: string): void {
    this.options.token = token
  }

  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.destroy()
  }

  private async withRetries<T>(
    req: HubRequest,
    extraSignal: AbortSignal | undefined,
    read: (answer: Answer) => Promise<T>
  ): Promise<T> {
    const { clock, maxAttempts } = this.options
    const signals = [this.options.signal, extraSignal].filter(s => s !== undefined)
    const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0]
    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) throw cancelled()
      let delayMs: number
      try {
        const answer = await this.send(req, signal)
        if (answer.status < 300) {
          try {
            return await read(answer)
          } catch (error) {
            // A truncated or garbled body is transient for a read; never guess for a write.
            if (!(error instanceof ActionError) || req.retry !== 'idempotent' || attempt >= maxAttempts)
              throw error
            this.options.debug(`${req.method} ${req.path}: ${error.message}; retrying`)
            delayMs = this.backoff(attempt)
          }
        } else {
          const error = await this.toError(req, answer)
          const retryable =
            RETRY_STATUSES.has(answer.status) && (req.retry === 'idempotent' || answer.status === 429)
          if (!retryable || attempt >= maxAttempts) throw error
          const asked = this.askedDelayMs(answer)
          if (asked !== null && asked > this.options.maxRetryAfterMs) throw error
          delayMs = Math.max(asked ?? 0, this.backoff(attempt))
          this.options.debug(
            `${req.method} ${req.path}: HTTP ${answer.status}; retry ${attempt} in ${delayMs} ms`
          )
        }
      } catch (error) {
        if (error instanceof ActionError) throw error
        if (signal?.aborted) throw cancelled()
        const code = errorCode(error)
        const unsent = UNSENT_ERRORS.has(code)
        if ((req.retry !== 'idempotent' && !unsent) || attempt >= maxAttempts)
          throw this.networkError(req, code, attempt)
        delayMs = this.backoff(attempt)
        this.options.debug(`${req.method} ${req.path}: ${code}; retry ${attempt} in ${delayMs} ms`)
      }
      await clock.sleep(delayMs, signal)
    }
  }

  /** One GET of a URL outside the API (the app itself): the status, 0 when there was no answer. Never retried. */
  async probe(url: string, signal?: AbortSignal): Promise<number> {
    try {
      const headers: Record<string, string> = { 'user-agent': this.options.userAgent }
      // A private Space's app takes the Hub token, on the Hub's own app domain only.
      if (this.options.token && new URL(url).hostname.endsWith('.hf.space')) {
        headers.authorization = `Bearer ${this.options.token}`
      }
      const answer = await request(url, {
        method: 'GET',
        headers,
        dispatcher: this.dispatcher,
        signal: signal ?? null
      })
      await answer.body.dump()
      return answer.statusCode
    } catch {
      return 0
    }
  }

  private async send(req: HubRequest, signal: AbortSignal | undefined): Promise<Answer> {
    let path = req.path
    const origin = new URL(this.endpoint).origin
    for (let hops = 0; ; hops++) {
      const url = /^https?:\/\//.test(path) ? new URL(path) : new URL(this.endpoint + path)
      for (const [key, value] of Object.entries(req.query ?? {})) url.searchParams.set(key, value)
      const headers: Record<string, string> = {
        'user-agent': this.options.userAgent,
        accept: 'application/json',
        ...req.headers
      }
      if (req.auth !== false && this.options.token && url.origin === origin) {
        headers.authorization = `Bearer ${this.options.token}`
      }
      let body: RequestBody | null = null
      if (req.json !== undefined) {
        headers['content-type'] = 'application/json'
        body = JSON.stringify(req.json)
      } else if (req.body) {
        if (req.contentType) headers['content-type'] = req.contentType
        body = req.body()
      }
      this.requestCount++
      const answer = await request(url, {
        method: req.method,
        headers,
        body,
        dispatcher: this.dispatcher,
        signal: signal ?? null,
        headersTimeout: this.options.responseTimeoutMs,
        bodyTimeout: this.options.responseTimeoutMs
      })
      this.noteRateLimit(answer.headers)
      this.options.debug(`${req.method} ${url.pathname} → ${answer.statusCode}`)
      const location = header(answer.headers, 'location')
      // A renamed Space answers 307 with a relative Location. Follow same-origin redirects only: the token
      // must never be sent to another host.
      if (REDIRECT_STATUSES.has(answer.statusCode) && location && hops < 3) {
        const next = new URL(location, url)
        if (next.origin === new URL(this.endpoint).origin) {
          await answer.body.dump()
          path = next.pathname.slice(new URL(this.endpoint).pathname.replace(/\/$/, '').length)
          continue
        }
      }
      return { status: answer.statusCode, headers: answer.headers, body: answer.body }
    }
  }

  private async toError(req: HubRequest, answer: Answer): Promise<ActionError> {
    const text = await answer.body.text().catch(() => '')
    let body: unknown = text
    try {
      body = JSON.parse(text)
    } catch {
      // Not JSON (an HTML error page, or plain text): keep the text.
    }
    const details: HubErrorDetails = {
      method: req.method,
      path: req.path,
      status: answer.status,
      errorCode: header(answer.headers, 'x-error-code'),
      serverMessage: serverMessage(header(answer.headers, 'x-error-message'), body),
      requestId: header(answer.headers, 'x-request-id'),
      resetSeconds: this.resetSeconds(answer)
    }
    return hubError(details)
  }

  private networkError(req: HubRequest, code: string, attempts: number): ActionError {
    const timedOut = /TIMEOUT/i.test(code)
    return new ActionError(
      'network',
      `${req.method} ${req.path}: ${timedOut ? 'no answer in time' : 'connection failed'} (${code}) after ${attempts} attempt(s)`,
      `Could not reach the Hub at ${this.endpoint}. Check the endpoint, the runner's network and proxy settings ` +
        '(HTTPS_PROXY/NO_PROXY), or re-run the job later.'
    )
  }

  /** The delay the server asked for: Retry-After (seconds or an HTTP date), or RateLimit's reset when none remain. */
  private askedDelayMs(answer: Answer): number | null {
    const retryAfter = header(answer.headers, 'retry-after')
    if (retryAfter) {
      if (/^\d+$/.test(retryAfter.trim())) return Number(retryAfter) * 1000
      const date = Date.parse(retryAfter)
      if (!Number.isNaN(date)) return Math.max(0, date - Date.now())
    }
    const limit = parseRateLimit(header(answer.headers, 'ratelimit'))
    if (limit && limit.remaining === 0) return (limit.resetSeconds + 1) * 1000
    return null
  }

  private resetSeconds(answer: Answer): number | null {
    const asked = this.askedDelayMs(answer)
    return asked === null ? null : Math.ceil(asked / 1000)
  }

  private backoff(attempt: number): number {
    const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1))
    return Math.round(ceiling * (0.5 + this.options.random() / 2))
  }

  private noteRateLimit(headers: Answer['headers']): void {
    const limit = parseRateLimit(header(headers, 'ratelimit'))
    if (limit) this.rateLimit = { ...limit, at: this.options.clock.now() }
  }
}

/** `RateLimit: "api";r=499;t=295` (IETF draft v9, as the Hub sends it). */
export function parseRateLimit(value: string | null): { remaining: number; resetSeconds: number } | null {
  const match = value ? /r=(\d+)\s*;\s*t=(\d+)/.exec(value) : null
  return match ? { remaining: Number(match[1]), resetSeconds: Number(match[2]) } : null
}

function header(headers: Answer['headers'], name: string): string | null {
  const value = headers[name]
  return Array.isArray(value) ? (value[0] ?? null) : (value ?? null)
}

function errorCode(error: unknown): string {
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
