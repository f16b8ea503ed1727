/**
 * The one client for the Hub: the transport (transport.ts) sends, the retry policy (retry.ts) decides, and
 * this composes them, decodes bodies (`json`, `text`, `page`, `stream`) and turns failures into HubError values.
 * Time is bounded whatever the network does: every request counts against one deadline, a body must arrive whole
 * within the response timeout, and a Retry-After holds back every later call, not just the retry.
 * Nothing else in the action builds a URL or reads a status code.
 */
import type { Readable } from 'node:stream'
import type { Dispatcher } from './undici.js'
import { ActionError } from '../errors.js'
import { cancelled, realClock, type Clock } from '../clock.js'
import { formatDuration } from '../plan/duration.js'
import type { Logger } from '../logger.js'
import { hubError, serverMessage } from './errors.js'
import {
  BODY_TIMEOUT,
  PROXY_TUNNEL_CLOSED,
  decidePause,
  decideRetry,
  type Deadline,
  type Outcome
} from './retry.js'
import { errorCode, Transport, type Answer, type HubRequest } from './transport.js'
import { header, parseNextLink, parseRateLimit, type AnswerHeaders } from './types.js'

export type { Deadline, RetryPolicy } from './retry.js'
export type { HubRequest, RequestBody } from './transport.js'

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
  /** Each retry at info (what, when and why), each answer at debug; silent when absent. */
  log?: Pick<Logger, 'info' | 'debug'>
}

/** Failures of a write the Hub may have carried out: the caller reads the Space back before sending it again. */
const uncertain = new WeakSet<object>()

/** Whether `error` ended a write that may still have reached the Hub and been applied. */
export function mayHaveApplied(error: unknown): boolean {
  return typeof error === 'object' && error !== null && uncertain.has(error)
}

/** A successful answer's body as JSON; one that is not JSON is a bad answer (retried as such by the caller). */
function parseJsonBody(req: HubRequest, status: number, text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw new ActionError(
      'bad-response',
      `${req.method} ${req.path} answered ${status} with a body that is not JSON: ${text.slice(0, 120)}`,
      'Retry the job; if it persists the Hub may be degraded.',
      status
    )
  }
}

const SILENT: Pick<Logger, 'info' | 'debug'> = { info: () => undefined, debug: () => undefined }

export class HubClient {
  readonly endpoint: string
  readonly transport: Transport
  /** The last RateLimit header seen, for callers that pace themselves (the wait loop). */
  rateLimit: RateLimit | undefined

  /** The clock every wait and deadline of this client runs on. */
  readonly clock: Clock
  private readonly random: () => number
  private readonly maxAttempts: number
  private readonly responseTimeoutMs: number
  private readonly maxRetryAfterMs: number
  private readonly log: Pick<Logger, 'info' | 'debug'>
  private readonly signal: AbortSignal | undefined
  private readonly deadline: Deadline | undefined
  /** Clock time before which no request is sent: the Hub asked for the pause (Retry-After on a 429 or 503). */
  private pausedUntil = 0

  constructor(options: HubClientOptions) {
    this.clock = options.clock ?? realClock
    this.random = options.random ?? Math.random
    this.maxAttempts = options.maxAttempts ?? 5
    this.responseTimeoutMs = options.responseTimeoutMs ?? 30_000
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000
    this.log = options.log ?? SILENT
    this.signal = options.signal
    this.deadline = options.deadline
    this.transport = new Transport({
      endpoint: options.endpoint,
      token: options.token,
      userAgent: options.userAgent,
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
      connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
      responseTimeoutMs: this.responseTimeoutMs,
      onAnswer: (answer, what) => {
        this.noteRateLimit(answer.headers)
        this.log.debug(`${what} → ${answer.status}`)
      }
    })
    this.endpoint = this.transport.endpoint
  }

  /** Requests sent, retries included. */
  get requestCount(): number {
    return this.transport.requestCount
  }

  /** Sends the request and returns the parsed JSON body (null when empty). `signal` can end it early (a deadline). */
  async json(req: HubRequest, signal?: AbortSignal): Promise<unknown> {
    return this.withRetries(req, signal, true, async answer => {
      const text = await answer.body.text()
      return text.trim() ? parseJsonBody(req, answer.status, text) : null
    })
  }

  /** Sends the request and returns the body as text, never parsed (a raw file, `OK`, an empty storage answer). */
  async text(req: HubRequest, signal?: AbortSignal): Promise<string> {
    return this.withRetries(req, signal, true, answer => answer.body.text())
  }

  /** A page of a listing, and the path of the next one from `Link: <…>; rel="next"` (same origin only). */
  async page(req: HubRequest): Promise<{ body: unknown; next: string | null }> {
    return this.withRetries(req, undefined, true, async answer => ({
      body: parseJsonBody(req, answer.status, await answer.body.text()),
      next: parseNextLink(header(answer.headers, 'link'), this.endpoint)
    }))
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
    this.transport.useToken(token)
  }

  async close(): Promise<void> {
    await this.transport.close()
  }

  /** Milliseconds left before the deadline; Infinity without one. */
  timeLeft(): number {
    return this.deadline ? this.deadline.at - this.clock.now() : Infinity
  }

  private async withRetries<T>(
    req: HubRequest,
    extraSignal: AbortSignal | undefined,
    wholeBody: boolean,
    read: (answer: Answer) => Promise<T>
  ): Promise<T> {
    const outer = [this.signal, extraSignal].filter(s => s !== undefined)
    const either = outer.length > 1 ? AbortSignal.any(outer) : outer[0]
    for (let attempt = 1; ; attempt++) {
      if (either?.aborted) throw cancelled()
      await this.waitOutPause(req, attempt - 1, either)
      const tried = await this.attempt(req, attempt, outer, wholeBody, read)
      if ('value' in tried) return tried.value
      const { outcome } = tried
      const decision = this.decide(req, attempt, outcome)
      if (decision.holdUntil !== null) this.pausedUntil = Math.max(this.pausedUntil, decision.holdUntil)
      if (!decision.retry) {
        if (tried.badBody) throw tried.badBody
        const error = tried.answer
          ? await this.toError(req, tried.answer, attempt, decision.reason, decision.resetSeconds)
          : this.networkError(req, outcome.kind === 'network' ? outcome.code : '', attempt, decision.reason)
        if (decision.mayHaveApplied) uncertain.add(error)
        throw error
      }
      await tried.answer?.body.dump().catch(() => undefined)
      const what = `${req.method} ${loggedPath(req.path)}`
      this.log.info(
        `${what}: ${decision.reason}; retrying in ${formatDuration(decision.delayMs / 1000)} ` +
          `(attempt ${attempt + 1} of ${this.maxAttempts}).`
      )
      // The exact delay planned, for the end-to-end tests (test/e2e/resilience.test.ts), which cannot trust the clock.
      const failure =
        outcome.kind === 'answer'
          ? `HTTP ${outcome.status}`
          : outcome.kind === 'network'
            ? outcome.code
            : outcome.message
      this.log.debug(`${what}: ${failure}; retry ${attempt} in ${decision.delayMs} ms`)
      await this.clock.sleep(decision.delayMs, either)
    }
  }

  /**
   * One attempt: the value, or how it failed (with the failed answer, still unread, or the decoding error).
   * `wholeBody`: the body is read here, and must arrive whole within the response timeout (undici's body timeout
   * only bounds the gap between two chunks, so a body trickling a byte every few seconds would never time out).
   */
  private async attempt<T>(
    req: HubRequest,
    attempt: number,
    outer: AbortSignal[],
    wholeBody: boolean,
    read: (answer: Answer) => Promise<T>
  ): Promise<{ value: T } | { outcome: Outcome; answer?: Answer; badBody?: ActionError }> {
    const left = this.timeLeft()
    if (left <= 0) throw this.outOfTime(req, attempt - 1)
    const deadline = left === Infinity ? undefined : this.clock.signalAfter(left)
    const bodyLimit = new AbortController()
    const signal = AbortSignal.any([...outer, ...(deadline ? [deadline] : []), bodyLimit.signal])
    try {
      const answer = await this.transport.send(req, signal)
      if (answer.status >= 300)
        return { outcome: { kind: 'answer', status: answer.status, headers: answer.headers }, answer }
      if (wholeBody) {
        this.clock
          .signalAfter(this.responseTimeoutMs)
          .addEventListener('abort', () => bodyLimit.abort(), { once: true })
      }
      try {
        return { value: await read(answer) }
      } catch (error) {
        if (!(error instanceof ActionError)) throw error
        return { outcome: { kind: 'bad-body', message: error.message }, badBody: error }
      }
    } catch (error) {
      if (error instanceof ActionError) throw error
      if (outer.some(s => s.aborted)) throw cancelled()
      if (deadline?.aborted) throw this.outOfTime(req, attempt)
      return {
        outcome: { kind: 'network', code: bodyLimit.signal.aborted ? BODY_TIMEOUT : errorCode(error) }
      }
    }
  }

  private decide(req: HubRequest, attempt: number, outcome: Outcome): ReturnType<typeof decideRetry> {
    return decideRetry({
      attempt,
      maxAttempts: this.maxAttempts,
      outcome,
      policy: req.retry,
      method: req.method,
      now: this.clock.now(),
      deadline: this.deadline,
      maxRetryAfterMs: this.maxRetryAfterMs,
      jitter: this.random()
    })
  }

  /** Waits out a pause the Hub asked for on an earlier answer, unless it would outlast the limits. */
  private async waitOutPause(
    req: HubRequest,
    attempts: number,
    signal: AbortSignal | undefined
  ): Promise<void> {
    const now = this.clock.now()
    const pause = decidePause({
      now,
      holdUntil: this.pausedUntil,
      deadline: this.deadline,
      maxRetryAfterMs: this.maxRetryAfterMs
    })
    if ('refused' in pause) {
      throw new ActionError(
        'rate-limited',
        `${req.method} ${req.path} was not sent${attempts ? ` again after ${attempts} attempt(s)` : ''}: the Hub asked ` +
          `for a pause of ${formatDuration((this.pausedUntil - now) / 1000)} (Retry-After), longer than ${pause.refused}.`,
        'The Hub is overloaded or rate-limits this account: run the job later, or poll fewer Spaces at once.'
      )
    }
    if (pause.waitMs === 0) return
    this.log.info(
      `${req.method} ${loggedPath(req.path)}: held back ${formatDuration(pause.waitMs / 1000)}, as the Hub asked (Retry-After).`
    )
    await this.clock.sleep(pause.waitMs, signal)
  }

  private async toError(
    req: HubRequest,
    answer: Answer,
    attempts: number,
    notRetried: string,
    resetSeconds: number | null
  ): Promise<ActionError> {
    const text = await answer.body.text().catch(() => '')
    let body: unknown = text
    try {
      body = JSON.parse(text)
    } catch {
      // Not JSON (an HTML error page, or plain text): keep the text.
    }
    return hubError({
      method: req.method,
      path: req.path,
      status: answer.status,
      errorCode: header(answer.headers, 'x-error-code'),
      serverMessage: serverMessage(header(answer.headers, 'x-error-message'), body),
      requestId: header(answer.headers, 'x-request-id'),
      resetSeconds,
      attempts,
      notRetried: notRetried || null
    })
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
    const what = this.deadline?.what ?? 'the deadline'
    return new ActionError(
      'timeout',
      `${req.method} ${req.path}: no complete answer before ${what} (${attempts} attempt(s)).`,
      'The Hub or the network answered too slowly. Re-run the job later; raise `timeout` if the Space is just slow.'
    )
  }

  private noteRateLimit(headers: AnswerHeaders): void {
    const limit = parseRateLimit(header(headers, 'ratelimit'))
    if (limit) this.rateLimit = { ...limit, at: this.clock.now() }
  }
}

/** The path of a request for the log: no query (an upload target's carries its signature), and no host but storage's. */
function loggedPath(path: string): string {
  if (!/^https?:\/\//.test(path)) return path.split('?')[0] ?? path
  const url = new URL(path)
  return url.host + url.pathname
}
