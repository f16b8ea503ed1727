import type { Clock } from '../../src/clock.js'
import { cancelled } from '../../src/clock.js'

/** A clock whose sleep returns at once after moving time forward: loops that wait run instantly and exactly. */
export class FakeClock implements Clock {
  readonly sleeps: number[] = []
  constructor(public time = 1_000_000) {}
  now(): number {
    return this.time
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(cancelled())
    this.sleeps.push(ms)
    this.time += ms
    return Promise.resolve()
  }
}
