/**
 * After RUNNING, the app may still be loading its model: with `health-path`, the step also waits until the app
 * answers 2xx at app-url + path, on the same deadline.
 */
import { ActionError } from '../errors.js'
import { formatDuration } from '../plan/duration.js'
import type { Clock } from '../clock.js'
import type { HubClient } from '../hub/client.js'
import { isLoopback } from '../plan/read-inputs.js'

const FIRST_DELAY_MS = 1000
const MAX_DELAY_MS = 5000

/** `path` is a path on the app's own host (inputs.ts refuses anything else); the token goes nowhere else. */
export async function waitForApp(
  client: HubClient,
  appUrl: string,
  path: string,
  deadline: number,
  clock: Clock,
  info: (line: string) => void,
  signal?: AbortSignal
): Promise<number> {
  const start = clock.now()
  const origin = new URL(appUrl).origin
  const url = new URL(path, origin).toString()
  let delay = FIRST_DELAY_MS
  for (let attempt = 1; ; attempt++) {
    const last = await probeApp(
      client,
      url,
      origin,
      signal
        ? AbortSignal.any([signal, clock.signalAfter(deadline - clock.now())])
        : clock.signalAfter(deadline - clock.now())
    )
    if (last >= 200 && last < 300) {
      info(`The app answers ${last} at ${url} (+${formatDuration((clock.now() - start) / 1000)}).`)
      return last
    }
    if (attempt === 1) info(`Waiting for the app to answer at ${url} (now: ${last || 'no answer'}).`)
    if (clock.now() + delay > deadline) {
      throw new ActionError(
        'timeout',
        `The app did not answer 2xx at ${url} in time; last answer: ${last || 'none'}.`,
        'The Space runs, but the app is not ready: check the run log, or raise `timeout` if it loads a large model.',
        last
      )
    }
    await clock.sleep(delay, signal)
    delay = Math.min(MAX_DELAY_MS, delay * 2)
  }
}

/**
 * One GET of the app itself (not the API): the status, 0 when there was no answer. Never retried. The token goes
 * only to the app's own origin `appOrigin`, as the Hub reported it, and only over https or to loopback.
 */
export async function probeApp(
  client: HubClient,
  url: string,
  appOrigin: string,
  signal?: AbortSignal
): Promise<number> {
  const target = new URL(url)
  if (target.origin !== appOrigin) {
    throw new ActionError('bad-input', `Refusing to probe ${target.origin}: it is not the app's host.`)
  }
  const left = client.timeLeft()
  if (left <= 0) return 0
  try {
    const signals = [signal, left === Infinity ? undefined : client.clock.signalAfter(left)]
    const answer = await client.transport.get(
      target,
      target.protocol === 'https:' || isLoopback(target.hostname),
      AbortSignal.any(signals.filter(s => s !== undefined))
    )
    await answer.body.dump()
    return answer.status
  } catch {
    return 0
  }
}
