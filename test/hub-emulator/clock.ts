/** Clocks: the real one by default, and a manual one for tests and scripted demos. */
import type { Clock } from './types.js'

export const systemClock: Clock = { now: () => Date.now() }

/** A clock that only moves when told to. Every stage is computed from it, so tests never sleep. */
export class FakeClock implements Clock {
  private current: number

  constructor(start: number = Date.parse('2026-01-01T00:00:00.000Z')) {
    this.current = start
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
}
