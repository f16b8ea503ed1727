/**
 * Whether a failed Hub request is sent again, after how long, and why: a pure function of the attempt, what came
 * back, the request's retry policy and the time, so every rule is one row of a table (test/unit/retry-policy.test.ts).
 * The client (client.ts) carries the decision out: it sleeps, logs the reason, or turns the refusal into an error.
 */
import { formatDuration } from '../plan/duration.js'
import { header, parseRateLimit, parseRetryAfter, type AnswerHeaders } from './types.js'

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

/** How an attempt failed. */
export type Outcome =
  /** An answer that is neither 2xx nor a redirect the transport followed. */
  | { kind: 'answer'; status: number; headers: AnswerHeaders }
  /** No whole answer: the error code (ECONNRESET, UND_ERR_HEADERS_TIMEOUT, BODY_TIMEOUT…). */
  | { kind: 'network'; code: string }
  /** A 2xx whose body could not be read as asked (truncated or garbled JSON), with what was wrong. */
  | { kind: 'bad-body'; message: string }

export interface RetryInput {
  /** The attempt that failed, from 1. */
  attempt: number
  maxAttempts: number
  outcome: Outcome
  policy: RetryPolicy
  method: string
  /** The clock's time when the outcome arrived: an HTTP-date Retry-After is read against it. */
  now: number
  deadline: Deadline | undefined
  /** A Retry-After longer than this is not waited for. */
  maxRetryAfterMs: number
  /** In [0, 1): where in its jitter band the backoff falls (the client's random source). */
  jitter: number
}

export type RetryDecision =
  | {
      retry: true
      delayMs: number
      /** What failed and what decided the delay, for the log: "HTTP 503, Retry-After 7s". */
      reason: string
      /** Clock time before which no request at all is sent (the Hub asked for a pause), or null. */
      holdUntil: number | null
    }
  | {
      retry: false
      /** Why it is not sent again although it could have been; '' when the attempts ran out or it never could. */
      reason: string
      holdUntil: number | null
      /** The Hub may have carried the request out: the caller reads back before sending it again. */
      mayHaveApplied: boolean
      /** Seconds until the rate limit resets, when the Hub said. */
      resetSeconds: number | null
    }

export type PauseDecision = { waitMs: number } | { refused: string }

export const RETRY_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504])
/** Error code of a CONNECT the proxy closed: the request never reached the Hub. */
export const PROXY_TUNNEL_CLOSED = 'PROXY_TUNNEL_CLOSED'
/** The body of an answer did not arrive whole within the response timeout (it trickled, or stopped). */
export const BODY_TIMEOUT = 'BODY_TIMEOUT'
/** Errors raised before the request reached the server: safe to repeat for any request. */
const UNSENT_ERRORS: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
  PROXY_TUNNEL_CLOSED
])
const BACKOFF_BASE_MS = 1000
const BACKOFF_CAP_MS = 8000

export function decideRetry(input: RetryInput): RetryDecision {
  const { outcome } = input
  if (outcome.kind === 'answer') return afterAnswer(input, outcome)
  const delayMs = backoff(input.attempt, input.jitter)
  if (outcome.kind === 'bad-body') {
    // A truncated or garbled body is transient for a read; never guess for a write.
    const retry = input.policy === 'idempotent' && input.attempt < input.maxAttempts
    return retry
      ? { retry, delayMs, reason: outcome.message, holdUntil: null }
      : { retry, reason: '', holdUntil: null, mayHaveApplied: false, resetSeconds: null }
  }
  const unsent = UNSENT_ERRORS.has(outcome.code)
  const mayHaveApplied = input.policy !== 'idempotent' && !unsent
  const refusal = mayHaveApplied
    ? maySendTwice(input.method)
    : input.attempt >= input.maxAttempts
      ? ''
      : delayMs >= timeLeft(input)
        ? `no time is left before ${deadlineName(input)}`
        : null
  return refusal === null
    ? { retry: true, delayMs, reason: outcome.code, holdUntil: null }
    : { retry: false, reason: refusal, holdUntil: null, mayHaveApplied, resetSeconds: null }
}

/**
 * Whether a request may go out now that the Hub asked, on an earlier answer, for no requests before `holdUntil`:
 * how long to wait first, or why it is not sent at all (the pause would outlast the limits).
 */
export function decidePause(input: {
  now: number
  holdUntil: number
  deadline: Deadline | undefined
  maxRetryAfterMs: number
}): PauseDecision {
  const pause = input.holdUntil - input.now
  if (pause <= 0) return { waitMs: 0 }
  if (pause > input.maxRetryAfterMs)
    return { refused: `the ${limitName(input.maxRetryAfterMs)} the action waits` }
  if (pause >= timeLeft(input)) return { refused: deadlineName(input) }
  return { waitMs: pause }
}

/** A write is repeated only when the Hub refused it unprocessed (429, or 503 with Retry-After). */
function afterAnswer(input: RetryInput, answer: Extract<Outcome, { kind: 'answer' }>): RetryDecision {
  const { status, headers } = answer
  const asked = askedDelay(headers, input.now)
  const holdUntil = asked !== null && (status === 429 || status === 503) ? input.now + asked.ms : null
  const delayMs = Math.max(asked?.ms ?? 0, backoff(input.attempt, input.jitter))
  const unprocessed = status === 429 || (status === 503 && header(headers, 'retry-after') !== null)
  const refusal = !RETRY_STATUSES.has(status)
    ? ''
    : input.policy !== 'idempotent' && !unprocessed
      ? maySendTwice(input.method)
      : input.attempt >= input.maxAttempts
        ? ''
        : asked !== null && asked.ms > input.maxRetryAfterMs
          ? `the Hub asked to wait ${formatDuration(asked.ms / 1000)}, longer than the ${limitName(input.maxRetryAfterMs)} the action waits`
          : delayMs >= timeLeft(input)
            ? `waiting ${formatDuration(delayMs / 1000)} for the next attempt would pass ${deadlineName(input)}`
            : null
  if (refusal === null) {
    const why = asked ? `, ${asked.source} ${formatDuration(asked.ms / 1000)}` : ''
    return { retry: true, delayMs, reason: `HTTP ${status}${why}`, holdUntil }
  }
  return {
    retry: false,
    reason: refusal,
    holdUntil,
    mayHaveApplied: input.policy !== 'idempotent' && status >= 500 && !unprocessed,
    resetSeconds: asked === null ? null : Math.ceil(asked.ms / 1000)
  }
}

/** The delay the server asked for: Retry-After (seconds or an HTTP date), or RateLimit's reset when none remain. */
function askedDelay(
  headers: AnswerHeaders,
  now: number
): { ms: number; source: 'Retry-After' | 'RateLimit reset' } | null {
  const retryAfter = parseRetryAfter(header(headers, 'retry-after'), now)
  if (retryAfter !== null) return { ms: retryAfter, source: 'Retry-After' }
  const limit = parseRateLimit(header(headers, 'ratelimit'))
  if (limit && limit.remaining === 0)
    return { ms: (limit.resetSeconds + 1) * 1000, source: 'RateLimit reset' }
  return null
}

/** Capped exponential backoff, jittered within the upper half of its band. */
function backoff(attempt: number, jitter: number): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1))
  return Math.round(ceiling * (0.5 + jitter / 2))
}

function timeLeft(input: { now: number; deadline: Deadline | undefined }): number {
  return input.deadline ? input.deadline.at - input.now : Infinity
}

function deadlineName(input: { deadline: Deadline | undefined }): string {
  return input.deadline?.what ?? 'the deadline'
}

function limitName(maxRetryAfterMs: number): string {
  return formatDuration(maxRetryAfterMs / 1000)
}

function maySendTwice(method: string): string {
  return `the ${method} may have reached the Hub, and sending it again could do the work twice`
}
