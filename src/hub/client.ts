/**
 * The one HTTP client for the Hub, on undici: base URL, auth, user agent, timeouts, proxy (HTTPS_PROXY/NO_PROXY),
 * retries with capped jittered backoff that honour Retry-After and RateLimit, and errors as HubError values.
 * Time is bounded whatever the network does: every request counts against one deadline, a body must arrive whole
 * within the response timeout, and a Retry-After holds back every later call, not just the retry.
 * Nothing else in the action builds a URL or reads a status code.
 */
import { EnvHttpProxyAgent, Pool, request, type Dispatcher } from './undici.js'
import type { Readable } from 'node:stream'
import { ActionError } from '../errors.js'
import { cancelled, realClock, type Clock } from '../clock.js'
import { formatDuration } from '../plan/duration.js'
import { isLoopback } from '../plan/read-inputs.js'
import { hubError, serverMessage, type HubErrorDetails } from './errors.js'

/**
 * When a failed request may be sent again.
 * - `idempotent`: repeating it cannot change the outcome (reads; setting hardware or sleep time to a value; pause).
 * - `unsent`: repeat only when the Hub cannot have acted on it (429, connection refused), because a second
 *   copy would do the work twice (a restart throws away the build the first one started).
 */
export type RetryPolicy = 'idempotent' | 'unsent'

/** The time every request of a step must end by. */
export interface Deadline {
  /** Clock time. */
  at: number
  /** What it is, for messages: "the step's timeout (20s) plus 30s to report". */
  what: string
}

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
  /** No request runs past it, retries and waits for Retry-After included. */
  deadline?: Deadline
  debug?: (line: string) => void
}

interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: Dispatcher.ResponseData['body']
}

const RETRY_STATUSES = new Set([408, 429, 500, 502, 503, 504])
const REDIRECT_STATUSES = new Set([301, 302, 307, 308])
/** Error code of a CONNECT the proxy closed: the request never reached the Hub. */
const PROXY_TUNNEL_CLOSED = 'PROXY_TUNNEL_CLOSED'
/** Errors raised before the request reached the server: safe to repeat for any request. */
const UNSENT_ERRORS = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
  PROXY_TUNNEL_CLOSED
])
/** The body of an answer did not arrive whole within the response timeout (it trickled, or stopped). */
const BODY_TIMEOUT = 'BODY_TIMEOUT'
const BACKOFF_BASE_MS = 1000
const BACKOFF_CAP_MS = 8000

/** Failures of a write the Hub may have carried out: the caller reads the Space back before sending it again. */
const uncertain = new WeakSet<object>()

/** Whether `error` ended a write that may still have reached the Hub and been applied. */
export function mayHaveApplied(error: unknown): boolean {
  return typeof error === 'object' && error !== null && uncertain.has(error)
}

export class HubClient {
  readonly endpoint: string
  /** The last RateLimit header seen, for callers that pace themselves (the wait loop). */
  rateLimit: RateLimit | undefined
  /** Requests sent, retries included. */
  requestCount = 0

  private readonly options: Required<Omit<HubClientOptions, 'token' | 'signal' | 'dispatcher' | 'deadline'>> &
    Pick<HubClientOptions, 'token' | 'signal' | 'deadline'>
  private readonly dispatcher: Dispatcher
  private readonly ownsDispatcher: boolean
  /** Clock time before which no request is sent: the Hub asked for the pause (Retry-After on a 429 or 503). */
  private pausedUntil = 0

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
        bodyTimeout: this.options.responseTimeoutMs,
        clientFactory: proxyClient
      })
  }

  /** Sends the request and returns the parsed JSON body (null when empty). `signal` can end it early (a deadline). */
  async json(req: HubRequest, signal?: AbortSignal): Promise<unknown> {
    return this.withRetries(req, signal, true, async answer => {
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
    return this.withRetries(req, undefined, true, async answer => {
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

  /**
   * Sends the request and hands back the open body stream (server-sent events). The caller must consume or destroy
   * it, and bound how long it reads (the stream has no end of its own).
   */
  async stream(req: HubRequest, signal?: AbortSignal): Promise<Readable> {
    return this.withRetries(req, signal, false, answer => Promise.resolve(answer.body))
  }

  /** Authenticates later calls with `token` (a token minted by the OIDC exchange after the client was made). */
  useToken(token: string): void {
    this.options.token = token
  }

  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.destroy()
  }

  /** Milliseconds left before the deadline; Infinity without one. */
  timeLeft(): number {
    const { deadline, clock } = this.options
    return deadline ? deadline.at - clock.now() : Infinity
  }

  /**
   * `wholeBody`: the body is read here, and must arrive whole within the response timeout (undici's body timeout
   * only bounds the gap between two chunks, so a body trickling a byte every few seconds would never time out).
   */
  private async withRetries<T>(
    req: HubRequest,
    extraSignal: AbortSignal | undefined,
    wholeBody: boolean,
    read: (answer: Answer) => Promise<T>
  ): Promise<T> {
    const { clock, maxAttempts } = this.options
    const outer = [this.options.signal, extraSignal].filter(s => s !== undefined)
    const stopped = (): boolean => outer.some(s => s.aborted)
    for (let attempt = 1; ; attempt++) {
      if (stopped()) throw cancelled()
      await this.waitOutPause(req, attempt - 1, outer)
      const left = this.timeLeft()
      if (left <= 0) throw this.outOfTime(req, attempt - 1)
      const deadline = left === Infinity ? undefined : clock.signalAfter(left)
      const bodyLimit = new AbortController()
      const signal = AbortSignal.any([...outer, ...(deadline ? [deadline] : []), bodyLimit.signal])
      let delayMs: number
      try {
        const answer = await this.send(req, signal)
        if (answer.status < 300) {
          if (wholeBody) {
            clock
              .signalAfter(this.options.responseTimeoutMs)
              .addEventListener('abort', () => bodyLimit.abort(), { once: true })
          }
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
          const asked = this.askedDelayMs(answer)
          if (asked !== null && (answer.status === 429 || answer.status === 503)) {
            this.pausedUntil = Math.max(this.pausedUntil, clock.now() + asked)
          }
          delayMs = Math.max(asked ?? 0, this.backoff(attempt))
          const refusal = this.whyNoRetry(req, answer, asked, attempt, delayMs)
          if (refusal !== null) {
            const error = await this.toError(req, answer, attempt, refusal)
            if (req.retry !== 'idempotent' && answer.status >= 500 && !this.refusedUnprocessed(answer))
              uncertain.add(error)
            throw error
          }
          await answer.body.dump().catch(() => undefined)
          this.options.debug(
            `${req.method} ${req.path}: HTTP ${answer.status}; retry ${attempt} in ${delayMs} ms`
          )
        }
      } catch (error) {
        if (error instanceof ActionError) throw error
        if (stopped()) throw cancelled()
        if (deadline?.aborted) throw this.outOfTime(req, attempt)
        const code = bodyLimit.signal.aborted ? BODY_TIMEOUT : errorCode(error)
        const unsent = UNSENT_ERRORS.has(code)
        delayMs = this.backoff(attempt)
        const refusal =
          req.retry !== 'idempotent' && !unsent
            ? `the ${req.method} may have reached the Hub, and sending it again could do the work twice`
            : attempt >= maxAttempts
              ? ''
              : delayMs >= this.timeLeft()
                ? `no time is left before ${this.options.deadline?.what ?? 'the deadline'}`
                : null
        if (refusal !== null) {
          const failure = this.networkError(req, code, attempt, refusal)
          if (req.retry !== 'idempotent' && !unsent) uncertain.add(failure)
          throw failure
        }
        this.options.debug(`${req.method} ${req.path}: ${code}; retry ${attempt} in ${delayMs} ms`)
      }
      await clock.sleep(delayMs, outer.length > 1 ? AbortSignal.any(outer) : outer[0])
    }
  }

  /**
   * Why a failed answer is not tried again ('' when the attempts ran out, which the message counts), or null to retry.
   * A write is repeated only when the Hub refused it unprocessed (429, or 503 with Retry-After).
   */
  private whyNoRetry(
    req: HubRequest,
    answer: Answer,
    asked: number | null,
    attempt: number,
    delayMs: number
  ): string | null {
    const { maxAttempts, maxRetryAfterMs, deadline } = this.options
    if (!RETRY_STATUSES.has(answer.status)) return ''
    if (req.retry !== 'idempotent' && !this.refusedUnprocessed(answer))
      return `the ${req.method} may have reached the Hub, and sending it again could do the work twice`
    if (attempt >= maxAttempts) return ''
    if (asked !== null && asked > maxRetryAfterMs)
      return `the Hub asked to wait ${formatDuration(asked / 1000)}, longer than the ${formatDuration(maxRetryAfterMs / 1000)} the action waits`
    if (delayMs >= this.timeLeft())
      return `waiting ${formatDuration(delayMs / 1000)} for the next attempt would pass ${deadline?.what ?? 'the deadline'}`
    return null
  }

  /** 429, and 503 with Retry-After: the Hub says it did not take the request on, so a write may be sent again. */
  private refusedUnprocessed(answer: Answer): boolean {
    return answer.status === 429 || (answer.status === 503 && header(answer.headers, 'retry-after') !== null)
  }

  /** Waits out a pause the Hub asked for on an earlier answer, unless it would outlast the limits. */
  private async waitOutPause(req: HubRequest, attempts: number, signals: AbortSignal[]): Promise<void> {
    const { clock, maxRetryAfterMs, deadline } = this.options
    const pause = this.pausedUntil - clock.now()
    if (pause <= 0) return
    if (pause > maxRetryAfterMs || pause >= this.timeLeft()) {
      const limit =
        pause > maxRetryAfterMs
          ? `the ${formatDuration(maxRetryAfterMs / 1000)} the action waits`
          : (deadline?.what ?? 'the deadline')
      throw new ActionError(
        'rate-limited',
        `${req.method} ${req.path} was not sent${attempts ? ` again after ${attempts} attempt(s)` : ''}: the Hub asked ` +
          `for a pause of ${formatDuration(pause / 1000)} (Retry-After), longer than ${limit}.`,
        'The Hub is overloaded or rate-limits this account: run the job later, or poll fewer Spaces at once.'
      )
    }
    this.options.debug(`${req.method} ${req.path}: waiting ${pause} ms, as the Hub asked`)
    await clock.sleep(pause, signals.length > 1 ? AbortSignal.any(signals) : signals[0])
  }

  /**
   * One GET of the app itself (not the API): the status, 0 when there was no answer. Never retried. The token goes
   * only to the app's own origin `appOrigin`, as the Hub reported it, and only over https or to loopback.
   */
  async probe(url: string, appOrigin: string, signal?: AbortSignal): Promise<number> {
    const target = new URL(url)
    if (target.origin !== appOrigin) {
      throw new ActionError('bad-input', `Refusing to probe ${target.origin}: it is not the app's host.`)
    }
    const left = this.timeLeft()
    if (left <= 0) return 0
    try {
      const headers: Record<string, string> = { 'user-agent': this.options.userAgent }
      if (this.options.token && (target.protocol === 'https:' || isLoopback(target.hostname))) {
        headers.authorization = `Bearer ${this.options.token}`
      }
      const signals = [signal, left === Infinity ? undefined : this.options.clock.signalAfter(left)]
      const answer = await request(target, {
        method: 'GET',
        headers,
        dispatcher: this.dispatcher,
        signal: AbortSignal.any(signals.filter(s => s !== undefined))
      })
      await answer.body.dump()
      return answer.statusCode
    } catch {
      return 0
    }
  }

  private async send(req: HubRequest, signal: AbortSignal): Promise<Answer> {
    let path = req.path
    const origin = new URL(this.endpoint).origin
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
        signal,
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
        if (next.origin === origin) {
          await answer.body.dump()
          path = next.pathname.slice(new URL(this.endpoint).pathname.replace(/\/$/, '').length) + next.search
          continue
        }
      }
      return { status: answer.statusCode, headers: answer.headers, body: answer.body }
    }
  }

  private async toError(
    req: HubRequest,
    answer: Answer,
    attempts: number,
    notRetried: string
  ): Promise<ActionError> {
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
      resetSeconds: this.resetSeconds(answer),
      attempts,
      notRetried: notRetried || null
    }
    return hubError(details)
  }

  private networkError(req: HubRequest, code: string, attempts: number, notRetried: string): ActionError {
    const timedOut = /TIMEOUT/i.test(code)
    const what =
      code === BODY_TIMEOUT
        ? 'the answer did not arrive whole in time'
        : code === PROXY_TUNNEL_CLOSED
          ? 'the proxy closed the tunnel to the Hub'
          : timedOut
            ? 'no answer in time'
            : 'connection failed'
    return new ActionError(
      'network',
      `${req.method} ${req.path}: ${what} (${code}) after ${attempts} attempt(s)${notRetried ? `; not retried: ${notRetried}` : ''}.`,
      `Could not reach the Hub at ${this.endpoint}. Check the endpoint, the runner's network and proxy settings ` +
        '(HTTPS_PROXY/NO_PROXY), or re-run the job later.'
    )
  }

  /** The deadline passed while a request ran, or before it could start. */
  private outOfTime(req: HubRequest, attempts: number): ActionError {
    const what = this.options.deadline?.what ?? 'the deadline'
    return new ActionError(
      'timeout',
      `${req.method} ${req.path}: no complete answer before ${what} (${attempts} attempt(s)).`,
      'The Hub or the network answered too slowly. Re-run the job later; raise `timeout` if the Space is just slow.'
    )
  }

  /** The delay the server asked for: Retry-After (seconds or an HTTP date), or RateLimit's reset when none remain. */
  private askedDelayMs(answer: Answer): number | null {
    const retryAfter = header(answer.headers, 'retry-after')
    if (retryAfter) {
      if (/^\d+$/.test(retryAfter.trim())) return Number(retryAfter) * 1000
      const date = Date.parse(retryAfter)
      if (!Number.isNaN(date)) return Math.max(0, date - this.options.clock.now())
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

/**
 * The client undici's proxy agent uses to reach the proxy. undici 7 keeps re-driving a CONNECT the proxy closed,
 * thousands of times a second, because it reads the socket error as recoverable (nodejs/undici#3897; the fix,
 * nodejs/undici#5441, is in no 7.x release up to 7.30.3, and undici 8 needs Node 22). Failing that CONNECT with an
 * error of its own ends the request, which the retry loop above counts as one unsent attempt.
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
