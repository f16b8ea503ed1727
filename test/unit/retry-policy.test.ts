import { describe, expect, it } from '@jest/globals'
import {
  decidePause,
  decideRetry,
  type Outcome,
  type RetryDecision,
  type RetryInput
} from '../../src/hub/retry.js'

const NOW = Date.parse('2026-01-01T12:00:00Z')
const MAY_SEND_TWICE = 'the POST may have reached the Hub, and sending it again could do the work twice'

function status(code: number, headers: Record<string, string> = {}): Outcome {
  return { kind: 'answer', status: code, headers }
}

/** A read on its first attempt, mid-band jitter (backoff 750 ms), no deadline, unless the row says otherwise. */
function input(outcome: Outcome, over: Partial<RetryInput> = {}): RetryInput {
  return {
    attempt: 1,
    maxAttempts: 5,
    outcome,
    policy: 'idempotent',
    method: 'GET',
    now: NOW,
    deadline: undefined,
    maxRetryAfterMs: 60_000,
    jitter: 0.5,
    ...over
  }
}

const retry = (delayMs: number, reason: string, holdUntil: number | null = null): RetryDecision => ({
  retry: true,
  delayMs,
  reason,
  holdUntil
})
const refuse = (
  reason: string,
  more: Partial<Extract<RetryDecision, { retry: false }>> = {}
): RetryDecision => ({
  retry: false,
  reason,
  holdUntil: null,
  mayHaveApplied: false,
  resetSeconds: null,
  ...more
})
const write = { policy: 'unsent', method: 'POST' } as const

describe('decideRetry', () => {
  it.each<[string, RetryInput, RetryDecision]>([
    // Which answers a read retries, and the capped, jittered backoff.
    ['a read after 503', input(status(503)), retry(750, 'HTTP 503')],
    ['a read after 408', input(status(408)), retry(750, 'HTTP 408')],
    ['a read after 504, attempt 3', input(status(504), { attempt: 3 }), retry(3000, 'HTTP 504')],
    [
      'a read, backoff capped at 8 s',
      input(status(502), { attempt: 5, maxAttempts: 9 }),
      retry(6000, 'HTTP 502')
    ],
    ['jitter at the bottom of the band', input(status(500), { jitter: 0 }), retry(500, 'HTTP 500')],
    ['a 404 is an answer, not a failure', input(status(404)), refuse('')],
    ['a 501 is not retried', input(status(501)), refuse('')],
    ['a 307 to another host is final', input(status(307)), refuse('')],
    ['the last attempt', input(status(503), { attempt: 5 }), refuse('')],

    // Retry-After and RateLimit: the delay, and the pause for every later call on a 429 or 503.
    [
      'Retry-After in seconds',
      input(status(503, { 'retry-after': '7' })),
      retry(7000, 'HTTP 503, Retry-After 7s', NOW + 7000)
    ],
    [
      'Retry-After as an HTTP date, read against the injected clock',
      input(status(429, { 'retry-after': new Date(NOW + 4000).toUTCString() })),
      retry(4000, 'HTTP 429, Retry-After 4s', NOW + 4000)
    ],
    [
      'an HTTP date already past: the backoff',
      input(status(429, { 'retry-after': new Date(NOW - 60_000).toUTCString() })),
      retry(750, 'HTTP 429, Retry-After 0s', NOW)
    ],
    [
      'Retry-After shorter than the backoff',
      input(status(502, { 'retry-after': '1' }), { attempt: 3 }),
      retry(3000, 'HTTP 502, Retry-After 1s')
    ],
    [
      'RateLimit with none remaining: its reset, plus a second',
      input(status(429, { ratelimit: '"api";r=0;t=12' })),
      retry(13_000, 'HTTP 429, RateLimit reset 13s', NOW + 13_000)
    ],
    [
      'RateLimit with requests remaining: the backoff',
      input(status(429, { ratelimit: '"api";r=5;t=12' })),
      retry(750, 'HTTP 429')
    ],
    [
      'Retry-After wins over RateLimit',
      input(status(429, { 'retry-after': '2', ratelimit: '"api";r=0;t=12' })),
      retry(2000, 'HTTP 429, Retry-After 2s', NOW + 2000)
    ],
    [
      'Retry-After beyond the limit: not waited for, the reset reported, later calls held back',
      input(status(429, { 'retry-after': '600' })),
      refuse('the Hub asked to wait 10m, longer than the 1m the action waits', {
        holdUntil: NOW + 600_000,
        resetSeconds: 600
      })
    ],

    // `unsent`: only what the Hub refused unprocessed.
    ['a write after 429', input(status(429), write), retry(750, 'HTTP 429')],
    [
      'a write after 503 with Retry-After',
      input(status(503, { 'retry-after': '2' }), write),
      retry(2000, 'HTTP 503, Retry-After 2s', NOW + 2000)
    ],
    [
      'a write after 503 without Retry-After may have been applied',
      input(status(503), write),
      refuse(MAY_SEND_TWICE, { mayHaveApplied: true })
    ],
    [
      'a write after 502 may have been applied',
      input(status(502), write),
      refuse(MAY_SEND_TWICE, { mayHaveApplied: true })
    ],
    [
      'a write after 408 was not applied by a server error',
      input(status(408), write),
      refuse(MAY_SEND_TWICE)
    ],
    ['a write refused with 403', input(status(403), write), refuse('')],
    ['a write after 501', input(status(501), write), refuse('', { mayHaveApplied: true })],

    // Network failures.
    ['a read after a reset', input({ kind: 'network', code: 'ECONNRESET' }), retry(750, 'ECONNRESET')],
    [
      'a write after a refused connection',
      input({ kind: 'network', code: 'ECONNREFUSED' }, write),
      retry(750, 'ECONNREFUSED')
    ],
    [
      'a write after a closed proxy tunnel',
      input({ kind: 'network', code: 'PROXY_TUNNEL_CLOSED' }, write),
      retry(750, 'PROXY_TUNNEL_CLOSED')
    ],
    [
      'a write after a reset may have been applied',
      input({ kind: 'network', code: 'ECONNRESET' }, write),
      refuse(MAY_SEND_TWICE, { mayHaveApplied: true })
    ],
    [
      'a write whose body timed out may have been applied',
      input({ kind: 'network', code: 'BODY_TIMEOUT' }, write),
      refuse(MAY_SEND_TWICE, { mayHaveApplied: true })
    ],
    [
      'a read on its last attempt',
      input({ kind: 'network', code: 'ECONNRESET' }, { attempt: 5 }),
      refuse('')
    ],

    // Bodies that are not what was asked for.
    ['a malformed body on a read', input({ kind: 'bad-body', message: 'not JSON' }), retry(750, 'not JSON')],
    ['a malformed body on a write', input({ kind: 'bad-body', message: 'not JSON' }, write), refuse('')],
    [
      'a malformed body on the last attempt',
      input({ kind: 'bad-body', message: 'not JSON' }, { attempt: 5 }),
      refuse('')
    ],

    // The deadline.
    [
      'a backoff that ends before the deadline',
      input(status(503), { deadline: { at: NOW + 751, what: 'the test deadline' } }),
      retry(750, 'HTTP 503')
    ],
    [
      'a backoff that would reach the deadline',
      input(status(503), { deadline: { at: NOW + 750, what: 'the test deadline' } }),
      refuse('waiting 0.8s for the next attempt would pass the test deadline')
    ],
    [
      'a Retry-After past the deadline',
      input(status(503, { 'retry-after': '59' }), {
        deadline: { at: NOW + 30_000, what: 'the test deadline' }
      }),
      refuse('waiting 59s for the next attempt would pass the test deadline', {
        holdUntil: NOW + 59_000,
        resetSeconds: 59
      })
    ],
    [
      'a network retry past the deadline',
      input(
        { kind: 'network', code: 'ECONNRESET' },
        { deadline: { at: NOW + 100, what: 'the test deadline' } }
      ),
      refuse('no time is left before the test deadline')
    ]
  ])('%s', (_, given, expected) => {
    expect(decideRetry(given)).toEqual(expected)
  })
})

describe('decidePause', () => {
  const base = { now: NOW, deadline: undefined, maxRetryAfterMs: 60_000 }
  it.each<[string, Parameters<typeof decidePause>[0], ReturnType<typeof decidePause>]>([
    ['no pause asked', { ...base, holdUntil: 0 }, { waitMs: 0 }],
    ['a pause already over', { ...base, holdUntil: NOW - 1 }, { waitMs: 0 }],
    ['a pause to wait out', { ...base, holdUntil: NOW + 5000 }, { waitMs: 5000 }],
    [
      'a pause beyond the limit',
      { ...base, holdUntil: NOW + 61_000 },
      { refused: 'the 1m the action waits' }
    ],
    [
      'a pause past the deadline',
      { ...base, holdUntil: NOW + 5000, deadline: { at: NOW + 5000, what: 'the test deadline' } },
      { refused: 'the test deadline' }
    ]
  ])('%s', (_, given, expected) => {
    expect(decidePause(given)).toEqual(expected)
  })
})
