import type { Clock } from '../../src/clock.js'
import { cancelled } from '../../src/clock.js'

/** A clock whose sleep returns at once after moving time forward: loops that wait run instantly and exactly. */
export class FakeClock implements Clock {
  readonly sleeps: number[] = []
  /** Deadlines handed out, fired by `fireDeadlines` (a hung request in a test). */
  readonly deadlines: AbortController[] = []
  constructor(public time = 1_000_000) {}
  signalAfter(): AbortSignal {
    const controller = new AbortController()
    this.deadlines.push(controller)
    return controller.signal
  }
  fireDeadlines(): void {
    for (const controller of this.deadlines) controller.abort()
  }
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
