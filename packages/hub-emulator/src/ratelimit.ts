/**
 * The Hub's `api` rate limit: a fixed window per token (per IP for anonymous callers), reported on every answer
 * with the IETF draft headers the Hub sends:
 *
 *   RateLimit: "api";r=<remaining>;t=<seconds until the window resets>
 *   RateLimit-Policy: "fixed window";"api";q=<quota>;w=<window seconds>
 *
 * A window opens with the first request of its key and lasts `windowSeconds` on the emulator's clock.
 */
import { ErrorReply } from './http.js'
import type { Clock } from './types.js'

export const DEFAULT_RATE_LIMIT = { quota: 1000, windowSeconds: 300 }

export const RATE_LIMIT_MESSAGE =
  'You have exceeded our rate limit for API requests. Please wait for the window to reset, or log in or upgrade your plan for a higher quota.'

interface Window {
  startedAt: number
  count: number
}

export interface RateDecision {
  allowed: boolean
  headers: Record<string, string>
  /** Seconds until the window resets. */
  resetSeconds: number
}

export class RateLimiter {
  private readonly windows = new Map<string, Window>()

  constructor(
    private readonly clock: Clock,
    readonly quota: number,
    readonly windowSeconds: number
  ) {}

  /** Counts one request for `key` and says whether it is within the quota. */
  consume(key: string): RateDecision {
    const window = this.current(key)
    window.count += 1
    return this.decide(window)
  }

  /** The headers for `key` without counting a request (for faulted answers). */
  peek(key: string): RateDecision {
    return this.decide(this.current(key))
  }

  private current(key: string): Window {
    const now = this.clock.now()
    let window = this.windows.get(key)
    if (window === undefined || now >= window.startedAt + this.windowSeconds * 1000) {
      window = { startedAt: now, count: 0 }
      this.windows.set(key, window)
    }
    return window
  }

  private decide(window: Window): RateDecision {
    const remainingMs = window.startedAt + this.windowSeconds * 1000 - this.clock.now()
    const resetSeconds = Math.max(0, Math.ceil(remainingMs / 1000))
    const remaining = Math.max(0, this.quota - window.count)
    return {
      allowed: window.count <= this.quota,
      resetSeconds,
      headers: {
        RateLimit: `"api";r=${remaining};t=${resetSeconds}`,
        'RateLimit-Policy': `"fixed window";"api";q=${this.quota};w=${this.windowSeconds}`
      }
    }
  }
}

export function tooManyRequests(resetSeconds: number): ErrorReply {
  return new ErrorReply(429, RATE_LIMIT_MESSAGE, { headers: { 'Retry-After': String(resetSeconds) } })
}
