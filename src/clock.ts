/** Time as a parameter: the real clock in the action, a fake one in unit tests, so no test sleeps for real. */
import { ActionError } from './errors.js'

export interface Clock {
  now(): number
  /** Resolves after `ms`, or rejects with a `cancelled` ActionError as soon as `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>
  /** A signal that aborts after `ms`: a deadline for a request that may hang. */
  signalAfter(ms: number): AbortSignal
}

export function cancelled(): ActionError {
  return new ActionError(
    'cancelled',
    'The step was cancelled.',
    'Nothing more is requested from the Hub; the post step still runs the teardown.'
  )
}

export const realClock: Clock = {
  now: () => Date.now(),
  // AbortSignal.timeout's timer does not keep the process alive.
  signalAfter: ms => AbortSignal.timeout(Math.max(0, ms)),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(cancelled())
      const timer = setTimeout(done, Math.max(0, ms))
      signal?.addEventListener('abort', abort, { once: true })
      function done(): void {
        signal?.removeEventListener('abort', abort)
        resolve()
      }
      function abort(): void {
        clearTimeout(timer)
        reject(cancelled())
      }
    })
}
