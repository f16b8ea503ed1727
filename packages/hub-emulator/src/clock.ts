/** Clocks: the real one by default, and a manual one for tests and scripted demos. */
import type { Clock } from './types.js'

export const systemClock: Clock = { now: () => Date.now() }

/**
 * A clock that only moves when told to. Every stage is computed from it, so tests never sleep. It also has the shape
 * of the action's clock (src/clock.ts): its `sleep` returns at once after moving time forward, so the action's wait
 * loops run instantly and exactly, and one clock drives both the emulator and the code under test.
 */
export class FakeClock implements Clock {
  /** Every `sleep`'s duration, in order. */
  readonly sleeps: number[] = []
  /** Deadlines handed out by `signalAfter`, fired by `fireDeadlines` (a hung request in a test). */
  readonly deadlines: AbortController[] = []
  private current: number
  private readonly cancelled: (signal: AbortSignal) => unknown

  /**
   * `options.cancelled` is what a `sleep` on an aborted signal rejects with (default: the signal's reason); the
   * action's clock rejects with its own `cancelled` error, so a test of the action's cancellation passes that one.
   */
  constructor(
    start: number = Date.parse('2026-01-01T00:00:00.000Z'),
    options: { cancelled?: (signal: AbortSignal) => unknown } = {}
  ) {
    this.current = start
    this.cancelled = options.cancelled ?? (signal => signal.reason as unknown)
  }

  now(): number {
    return this.current
  }

  /** Moves time forward by `ms` (must be >= 0). */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`FakeClock.advance: ms must be >= 0, got ${ms}`)
    this.current += ms
  }

  /** Jumps to an absolute time (must not go backwards). */
  set(ms: number): void {
    if (!(ms >= this.current)) throw new RangeError('FakeClock.set: time cannot go backwards')
    this.current = ms
  }

  /** Moves time forward by `ms` at once, unless `signal` is aborted already. */
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- an abort reason, as AbortSignal gives it
    if (signal?.aborted) return Promise.reject(this.cancelled(signal))
    this.sleeps.push(ms)
    this.current += ms
    return Promise.resolve()
  }

  /** A deadline that never fires on its own: `fireDeadlines` fires them all. */
  signalAfter(): AbortSignal {
    const controller = new AbortController()
    this.deadlines.push(controller)
    return controller.signal
  }

  fireDeadlines(): void {
    for (const controller of this.deadlines) controller.abort()
  }
}
