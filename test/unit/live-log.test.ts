import { describe, expect, it } from '@jest/globals'
import { ActionError } from '../../src/errors.js'
import type { Runtime } from '../../src/hub/types.js'
import { LiveLog, type LogFollower } from '../../src/wait/live-log.js'
import { FakeClock } from '../../packages/hub-emulator/src/clock.js'

const at = (stage: string): Runtime =>
  ({ stage, hardware: null, requestedHardware: null }) as unknown as Runtime

/**
 * Each connection replays the log from its start, as the Hub does, and ends (after `openMs` on the clock, when
 * given); the last one stays open until aborted.
 */
function replaying(
  connections: (string[] | Error | { lines: string[]; openMs: number })[],
  clock?: FakeClock
): LogFollower & { opened: number } {
  const source = {
    opened: 0,
    async *followLog(_id: string, _kind: string, signal: AbortSignal): AsyncGenerator<string> {
      const script = connections[source.opened++]
      if (script instanceof Error) throw script
      if (script) {
        for (const line of Array.isArray(script) ? script : script.lines) yield line
        if (!Array.isArray(script)) clock?.advance(script.openMs)
        return
      }
      await new Promise(resolve => signal.addEventListener('abort', resolve, { once: true }))
    }
  }
  return source
}

function sink(): { events: string[]; group(t: string): void; endGroup(): void; line(t: string): void } {
  const events: string[] = []
  return {
    events,
    group: title => events.push(`group ${title}`),
    endGroup: () => events.push('endgroup'),
    line: text => events.push(text)
  }
}

describe('live logs', () => {
  it('prints each line once over reconnects, in a group from the stage that starts it to the next', async () => {
    const source = replaying([
      ['a', 'b'],
      new ActionError('network', 'reset'),
      ['a', 'b', 'c'],
      ['a', 'b', 'c', 'd']
    ])
    const out = sink()
    const clock = new FakeClock()
    const live = new LiveLog(source, 'acme/app', clock, out)
    live.observe(at('BUILDING'))
    live.observe(at('RUNNING_BUILDING')) // the same log: nothing new
    await until(() => source.opened === 5)
    live.observe(at('RUNNING'))
    out.events.push('RUNNING printed by the wait')
    await live.stop()
    expect(out.events).toEqual([
      'group Build log of acme/app (live)',
      'a',
      'b',
      'c',
      'd',
      'endgroup',
      'RUNNING printed by the wait'
    ])
    // A stream that ends as soon as it has replayed the log is polled 5 s apart; after an error the backoff
    // doubles while nothing new arrives.
    expect(clock.sleeps).toEqual([5000, 2000, 5000, 5000])
  })

  it('reconnects at once to a stream that was held open, then backs off while nothing new arrives', async () => {
    const clock = new FakeClock()
    const source = replaying(
      [
        { lines: ['a'], openMs: 30_000 },
        { lines: ['a'], openMs: 30_000 },
        { lines: ['a', 'b'], openMs: 30_000 }
      ],
      clock
    )
    const out = sink()
    const live = new LiveLog(source, 'acme/app', clock, out)
    live.observe(at('BUILDING'))
    await until(() => source.opened === 4)
    await live.stop()
    expect(out.events).toEqual(['group Build log of acme/app (live)', 'a', 'b', 'endgroup'])
    expect(clock.sleeps).toEqual([1000, 2000, 1000])
  })

  it('follows the run log while the app starts, and gives up on a refusal', async () => {
    const source = replaying([new ActionError('forbidden', 'no', '', 403)])
    const out = sink()
    const live = new LiveLog(source, 'acme/app', new FakeClock(), out)
    live.observe(at('APP_STARTING'))
    await live.stop()
    expect(out.events).toEqual(['group Run log of acme/app (live)', 'endgroup'])
    expect(source.opened).toBe(1)
  })
})

async function until(predicate: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !predicate(); i++) await new Promise(resolve => setImmediate(resolve))
  expect(predicate()).toBe(true)
}
