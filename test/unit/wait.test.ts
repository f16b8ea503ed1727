import { describe, expect, it } from '@jest/globals'
import {
  gather,
  judge,
  judgeCommit,
  noEvidence,
  BUILD_MIN_INTERVAL_MS,
  nominalDelay,
  pollDelay,
  waitFor,
  AWAIT_BUILD_MAX_MS,
  MAX_INTERVAL_MS,
  NEAR_MAX_INTERVAL_MS,
  NEAR_QUICK_INTERVAL_MS,
  NEAR_QUICK_SPAN_MS,
  QUICK_INTERVAL_MS,
  QUICK_SPAN_MS,
  SpaceFailure,
  STALE_GRACE_MS,
  type PollState,
  type WaitRequest,
  type WaitSpaces
} from '../../src/wait/readiness.js'
import type { RateLimit } from '../../src/hub/client.js'
import type { Runtime } from '../../src/hub/types.js'
import { ActionError } from '../../src/errors.js'
import { cancelled } from '../../src/clock.js'
import { FakeClock } from '../../packages/hub-emulator/src/clock.js'
import { runtime } from '../support/runtimes.js'

/** A Space whose runtime answers follow a script, one answer per poll (the last one repeats). */
function scripted(answers: Runtime[], logs: string[] = ['line 1', 'line 2']) {
  const polled: number[] = []
  let index = 0
  const logCalls: string[] = []
  return {
    polled,
    logCalls,
    spaces: {
      runtime: () => {
        const answer = answers[Math.min(index++, answers.length - 1)] as Runtime
        return Promise.resolve(answer)
      },
      logTail: (_id: string, kind: string) => {
        logCalls.push(kind)
        return Promise.resolve(logs)
      }
    }
  }
}

function deps(clock: FakeClock, spaces: WaitSpaces, rateLimit?: RateLimit) {
  const lines: string[] = []
  return {
    lines,
    deps: {
      spaces,
      clock,
      random: () => 0.5,
      rateLimit: () => rateLimit,
      info: (line: string) => lines.push(line),
      warn: (line: string) => lines.push(`warning: ${line}`)
    }
  }
}

function request(clock: FakeClock, over: Partial<WaitRequest>): WaitRequest {
  return {
    spaceId: 'acme/eval-app',
    target: { kind: 'running', hardware: 't4-small' },
    before: runtime('RUNNING', 'cpu-basic'),
    first: runtime('RUNNING', 'cpu-basic', 't4-small'),
    since: clock.now(),
    timeoutMs: 30 * 60_000,
    ...over
  }
}

describe('judge', () => {
  const gpu = { kind: 'running', hardware: 't4-small' } as const
  it('is not fooled by RUNNING on the old flavor', () => {
    expect(judge(gpu, runtime('RUNNING', 'cpu-basic', 't4-small'), false)).toBe('pending')
    expect(judge(gpu, runtime('RUNNING', 't4-small'), false)).toBe('done')
  })
  it.each(['BUILD_ERROR', 'RUNTIME_ERROR', 'CONFIG_ERROR', 'NO_APP_FILE', 'DELETING', 'PAUSED', 'STOPPED'])(
    'fails fast on %s when waiting for RUNNING',
    stage => expect(judge(gpu, runtime(stage, null, 't4-small'), false)).toBe('fail')
  )
  it.each(['BUILDING', 'RUNNING_BUILDING', 'APP_STARTING', 'RUNNING_APP_STARTING', 'SOMETHING_NEW'])(
    'keeps waiting through %s',
    stage => expect(judge(gpu, runtime(stage, null, 't4-small'), false)).toBe('pending')
  )
  it('wakes a sleeping Space', () =>
    expect(judge({ kind: 'running' }, runtime('SLEEPING', null), false)).toBe('wake'))
  it('waits for PAUSED, and only fails on DELETING then', () => {
    expect(judge({ kind: 'paused' }, runtime('PAUSED', null), false)).toBe('done')
    expect(judge({ kind: 'paused' }, runtime('RUNNING', 'cpu-basic'), false)).toBe('pending')
    expect(judge({ kind: 'paused' }, runtime('DELETING', null), false)).toBe('fail')
  })
  it('treats a possibly stale answer as pending', () => {
    expect(judge({ kind: 'running' }, runtime('RUNNING', 'cpu-basic'), true)).toBe('pending')
    expect(judge({ kind: 'running' }, runtime('BUILD_ERROR', null), true)).toBe('pending')
  })
})

describe('waitFor', () => {
  it('waits through the stale-RUNNING race until the new flavor runs', async () => {
    const clock = new FakeClock()
    const space = scripted([
      runtime('RUNNING', 'cpu-basic', 't4-small'),
      runtime('RUNNING_BUILDING', 'cpu-basic', 't4-small'),
      runtime('RUNNING_APP_STARTING', 'cpu-basic', 't4-small'),
      runtime('RUNNING', 't4-small')
    ])
    const { deps: d, lines } = deps(clock, space.spaces)
    const result = await waitFor(request(clock, {}), d)
    expect(result.runtime.hardware).toBe('t4-small')
    expect(result.polls).toBe(4)
    // One line per change, never one per poll.
    expect(lines.filter(l => l.startsWith('RUNNING on cpu-basic'))).toHaveLength(1)
    expect(lines.some(l => l.startsWith('RUNNING on t4-small'))).toBe(true)
  })

  it('polls at most every second right after a change, so readiness is noticed within a second', async () => {
    const clock = new FakeClock()
    const answers = [
      ...Array<Runtime>(5).fill(runtime('RUNNING', 'cpu-basic', 't4-small')),
      runtime('RUNNING', 't4-small')
    ]
    const { deps: d } = deps(clock, scripted(answers).spaces)
    await waitFor(request(clock, {}), d)
    expect(Math.max(...clock.sleeps)).toBeLessThanOrEqual(1000)
  })

  it('polls a build every 2 s at first: it is far from readiness', async () => {
    const clock = new FakeClock()
    const answers = [
      ...Array<Runtime>(5).fill(runtime('RUNNING_BUILDING', 'cpu-basic', 't4-small')),
      runtime('RUNNING', 't4-small')
    ]
    const { deps: d } = deps(clock, scripted(answers).spaces)
    await waitFor(request(clock, {}), d)
    expect(Math.max(...clock.sleeps)).toBeLessThanOrEqual(BUILD_MIN_INTERVAL_MS)
    // The first sleep follows the answer to the request (RUNNING on the old flavor), the others the build.
    expect(Math.min(...clock.sleeps.slice(1))).toBeGreaterThan(1000)
  })

  it('backs off to the cap while nothing changes, and starts fast again after a change', async () => {
    const clock = new FakeClock()
    const building = runtime('RUNNING_BUILDING', 'cpu-basic', 't4-small')
    const answers = [
      ...Array<Runtime>(40).fill(building),
      runtime('RUNNING_APP_STARTING', 'cpu-basic', 't4-small'),
      runtime('RUNNING', 't4-small')
    ]
    const { deps: d } = deps(clock, scripted(answers).spaces)
    await waitFor(request(clock, {}), d)
    expect(Math.max(...clock.sleeps)).toBeLessThanOrEqual(MAX_INTERVAL_MS)
    expect(Math.max(...clock.sleeps)).toBeGreaterThan(MAX_INTERVAL_MS * 0.79)
    expect(clock.sleeps.at(-1)).toBeLessThanOrEqual(1000)
  })

  /** Phases of a Space after a hardware request, each a stage on a flavor for some ms; then RUNNING on t4-small. */
  type Phase = [stage: string, hardware: string | null, ms: number]
  const building = (ms: number): Phase[] => [
    ['BUILDING', null, ms - 60_000],
    ['APP_STARTING', null, 60_000]
  ]
  /** Runs the wait on a fake clock: how many runtime reads, and how late after RUNNING showed it ended. */
  async function simulate(
    phases: Phase[],
    random: number,
    rateLimit?: (reads: number[], since: number) => RateLimit
  ) {
    const clock = new FakeClock()
    const since = clock.now()
    const reads: number[] = []
    const readyAt = phases.reduce((sum, [, , ms]) => sum + ms, 0)
    const at = (): Runtime => {
      let t = clock.now() - since
      for (const [stage, hardware, ms] of phases) {
        if (t < ms) return runtime(stage, hardware, 't4-small')
        t -= ms
      }
      return runtime('RUNNING', 't4-small')
    }
    const spaces: WaitSpaces = {
      runtime: () => {
        reads.push(clock.now() - since)
        return Promise.resolve(at())
      },
      logTail: () => Promise.resolve([])
    }
    const { deps: d } = deps(clock, spaces)
    await waitFor(request(clock, { first: at(), timeoutMs: 2 * 60 * 60_000 }), {
      ...d,
      random: () => random,
      rateLimit: () => rateLimit?.(reads, since)
    })
    return { reads, lateMs: clock.now() - since - readyAt }
  }

  it.each<{ what: string; phases: Phase[]; maxReads: number; maxLateMs: number }>([
    // A slow build costs few reads; where readiness is near, polling is fast.
    {
      what: 'a 30-minute build (BUILDING 29 min, APP_STARTING 1 min)',
      phases: building(30 * 60_000),
      maxReads: 150,
      maxLateMs: 2000
    },
    // Most of these are the minute of APP_STARTING, polled as readiness nears.
    { what: 'a 10-minute build', phases: building(10 * 60_000), maxReads: 110, maxLateMs: 2000 },
    {
      what: 'a 30-minute build, then 5 minutes of APP_STARTING',
      phases: [...building(30 * 60_000), ['APP_STARTING', null, 4 * 60_000]],
      maxReads: 230,
      maxLateMs: NEAR_MAX_INTERVAL_MS
    },
    {
      what: 'a short build and a short start (1 min, 10 s)',
      phases: [
        ['BUILDING', null, 60_000],
        ['APP_STARTING', null, 10_000]
      ],
      maxReads: 45,
      maxLateMs: 1000
    },
    {
      what: 'the upgrade of npm run bench (stale 1 s, build 3 s, start 2 s)',
      phases: [
        ['RUNNING', 'cpu-basic', 1000],
        ['RUNNING_BUILDING', 'cpu-basic', 3000],
        ['RUNNING_APP_STARTING', 'cpu-basic', 2000]
      ],
      maxReads: 10,
      maxLateMs: NEAR_QUICK_INTERVAL_MS
    }
  ])(
    '$what: at most $maxReads reads, RUNNING noticed within $maxLateMs ms',
    async ({ phases, maxReads, maxLateMs }) => {
      // Jitter only shortens intervals: the bounds hold for any draw, not just the middle one.
      for (const random of [0, 0.5, 0.999]) {
        const { reads, lateMs } = await simulate(phases, random)
        expect(reads.length).toBeLessThanOrEqual(maxReads)
        expect(lateMs).toBeLessThanOrEqual(maxLateMs)
      }
    }
  )

  it('spends no more than the rate-limit budget allows through a 30-minute build, keeping some for the teardown', async () => {
    // A fixed window of 40 requests in 5 minutes, far below the Hub's 500, counted from the reads.
    const quota = 40
    const windowMs = 5 * 60_000
    const budget = (reads: number[], since: number): RateLimit => {
      const last = reads.at(-1) ?? 0
      const windowStart = Math.floor(last / windowMs) * windowMs
      const used = reads.filter(t => t >= windowStart).length
      return {
        remaining: quota - used,
        resetSeconds: (windowStart + windowMs - last) / 1000,
        at: since + last
      }
    }
    /** The most reads in one window. */
    const perWindow = (reads: number[]): number => {
      const counts = new Map<number, number>()
      for (const t of reads)
        counts.set(Math.floor(t / windowMs), (counts.get(Math.floor(t / windowMs)) ?? 0) + 1)
      return Math.max(...counts.values())
    }
    // Unhindered, the minute of APP_STARTING alone would spend more than the budget leaves.
    expect(perWindow((await simulate(building(30 * 60_000), 0.5)).reads)).toBeGreaterThan(quota)
    const { reads, lateMs } = await simulate(building(30 * 60_000), 0.5, budget)
    expect(perWindow(reads)).toBeLessThanOrEqual(quota - 5)
    // Slower near the end, but RUNNING is still noticed, by the next window at the latest.
    expect(lateMs).toBeLessThan(windowMs)
  })

  it('fails fast on BUILD_ERROR with the message and the build log tail', async () => {
    const clock = new FakeClock()
    const space = scripted(
      [runtime('BUILD_ERROR', null, 't4-small', { errorMessage: 'pip failed' })],
      ['ERROR: no torch']
    )
    const { deps: d } = deps(clock, space.spaces)
    const error = await waitFor(request(clock, {}), d).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SpaceFailure)
    const failure = error as SpaceFailure
    expect(failure.code).toBe('space-failed')
    expect(failure.message).toContain('BUILD_ERROR: pip failed')
    expect(failure.logs).toEqual(['ERROR: no torch'])
    expect(space.logCalls).toEqual(['build'])
    expect(clock.sleeps).toHaveLength(1)
  })

  it('reads the run log on RUNTIME_ERROR', async () => {
    const clock = new FakeClock()
    const space = scripted([runtime('RUNTIME_ERROR', null, 't4-small')])
    const { deps: d } = deps(clock, space.spaces)
    await expect(waitFor(request(clock, {}), d)).rejects.toMatchObject({ logKind: 'run' })
  })

  it('times out at the deadline with the last stage, never later', async () => {
    const clock = new FakeClock()
    const space = scripted([runtime('BUILDING', null, 't4-small')])
    const { deps: d } = deps(clock, space.spaces)
    const start = clock.now()
    const error = (await waitFor(request(clock, { timeoutMs: 120_000 }), d).catch(
      (e: unknown) => e
    )) as SpaceFailure
    expect(error.code).toBe('timeout')
    expect(error.message).toContain('last stage BUILDING')
    expect(clock.now() - start).toBe(120_000)
  })

  it('treats an answer identical to the one before a restart as stale for a grace period', async () => {
    const clock = new FakeClock()
    const before = runtime('RUNNING', 'cpu-basic')
    const space = scripted([before, runtime('BUILDING', null, 'cpu-basic'), runtime('RUNNING', 'cpu-basic')])
    const { deps: d } = deps(clock, space.spaces)
    const result = await waitFor(request(clock, { target: { kind: 'running' }, before, first: before }), d)
    expect(result.polls).toBe(3)
  })

  it('accepts an unchanged RUNNING after the grace period', async () => {
    const clock = new FakeClock()
    const before = runtime('RUNNING', 'cpu-basic')
    const { deps: d } = deps(clock, scripted([before]).spaces)
    const result = await waitFor(request(clock, { target: { kind: 'running' }, before, first: before }), d)
    expect(result.waitedMs).toBeGreaterThanOrEqual(STALE_GRACE_MS)
  })

  it('wakes a sleeping Space once, then waits for it', async () => {
    const clock = new FakeClock()
    let wakes = 0
    const space = scripted([runtime('APP_STARTING', null, 'cpu-basic'), runtime('RUNNING', 'cpu-basic')])
    const { deps: d } = deps(clock, space.spaces)
    const result = await waitFor(
      request(clock, {
        target: { kind: 'running' },
        before: undefined,
        first: runtime('SLEEPING', null, 'cpu-basic'),
        restart: () => {
          wakes++
          return Promise.resolve(runtime('BUILDING', null, 'cpu-basic'))
        }
      }),
      d
    )
    expect(wakes).toBe(1)
    expect(result.runtime.stage).toBe('RUNNING')
  })

  it('cannot wake a sleeping Space without a token, and says so', async () => {
    const clock = new FakeClock()
    const { deps: d } = deps(clock, scripted([]).spaces)
    const error = (await waitFor(
      request(clock, {
        target: { kind: 'running' },
        before: undefined,
        first: runtime('SLEEPING', null, 'cpu-basic')
      }),
      d
    ).catch((e: unknown) => e)) as SpaceFailure
    expect(error.advice).toContain('token')
  })

  it('rides out transient poll failures until it succeeds', async () => {
    const clock = new FakeClock()
    let calls = 0
    const spaces = {
      runtime: () =>
        ++calls === 1
          ? Promise.reject(new ActionError('hub-unavailable', 'HTTP 503', ''))
          : Promise.resolve(runtime('RUNNING', 't4-small')),
      logTail: () => Promise.resolve([])
    }
    const { deps: d, lines } = deps(clock, spaces)
    await expect(waitFor(request(clock, {}), d)).resolves.toMatchObject({ polls: 2 })
    expect(lines.filter(l => l.startsWith('warning'))).toHaveLength(1)
  })

  it('fails at once on a permanent poll error', async () => {
    const clock = new FakeClock()
    const spaces = {
      runtime: () => Promise.reject(new ActionError('forbidden', 'HTTP 403', '')),
      logTail: () => Promise.resolve([])
    }
    const { deps: d } = deps(clock, spaces)
    await expect(waitFor(request(clock, {}), d)).rejects.toMatchObject({ code: 'forbidden' })
  })

  it('slows down when the rate-limit budget runs low, and waits for the reset when it is spent', async () => {
    const clock = new FakeClock()
    const building = runtime('RUNNING_BUILDING', 'cpu-basic', 't4-small')
    const low = { remaining: 25, resetSeconds: 200, at: clock.now() }
    const { deps: d } = deps(clock, scripted([building, runtime('RUNNING', 't4-small')]).spaces, low)
    await waitFor(request(clock, {}), d)
    expect(clock.sleeps[0]).toBe(10_000)

    const spent = new FakeClock()
    const { deps: d2 } = deps(spent, scripted([building, runtime('RUNNING', 't4-small')]).spaces, {
      remaining: 3,
      resetSeconds: 20,
      at: spent.now()
    })
    await waitFor(request(spent, {}), d2)
    expect(spent.sleeps[0]).toBe(21_000)
  })

  it('stops at once when cancelled', async () => {
    // The action's clock rejects a sleep on an aborted signal with its own `cancelled` error (src/clock.ts).
    const clock = new FakeClock(undefined, { cancelled })
    const abort = new AbortController()
    abort.abort()
    const { deps: d } = deps(clock, scripted([runtime('BUILDING', null, 't4-small')]).spaces)
    await expect(waitFor(request(clock, {}), { ...d, signal: abort.signal })).rejects.toMatchObject({
      code: 'cancelled'
    })
  })
})

describe('waitFor and a hung answer', () => {
  it('ends a poll that hangs past the deadline with a timeout, not a hang', async () => {
    const clock = new FakeClock()
    const spaces = {
      runtime: (_id: string, signal?: AbortSignal) =>
        new Promise<Runtime>((_resolve, reject) => {
          signal?.addEventListener('abort', () => reject(new ActionError('cancelled', 'aborted')))
          clock.fireDeadlines()
        }),
      logTail: () => Promise.resolve(['tail'])
    }
    const { deps: d } = deps(clock, spaces)
    await expect(waitFor(request(clock, {}), d)).rejects.toMatchObject({ code: 'timeout', logs: ['tail'] })
  })
})

const SHA = 'c0ffee0123456789abcdef0123456789abcdef01'
const OLD = 'b0a7ed0123456789abcdef0123456789abcdef01'

describe('judgeCommit and the evidence after a commit', () => {
  const running = runtime('RUNNING', 'cpu-basic')
  const after = (...answers: Runtime[]) => answers.reduce(gather, noEvidence(running))

  it('does not take RUNNING for the new commit until a build was seen', () => {
    expect(judgeCommit(SHA, running, after(running))).toBe('pending')
    const built = after(running, runtime('RUNNING_BUILDING', 'cpu-basic'))
    expect(built.built).toBe(true)
    expect(judgeCommit(SHA, running, built)).toBe('done')
  })
  it.each(['BUILDING', 'RUNNING_BUILDING', 'APP_STARTING', 'RUNNING_APP_STARTING'])(
    'counts %s as a build',
    stage => expect(after(runtime(stage, null)).built).toBe(true)
  )
  it('trusts the runtime sha where there is one, in both directions', () => {
    const serving = (sha: string) => runtime('RUNNING', 'cpu-basic', 'cpu-basic', { sha })
    expect(judgeCommit(SHA, serving(SHA), after())).toBe('done')
    expect(judgeCommit(SHA.slice(0, 7), serving(SHA), after())).toBe('done')
    const built = after(runtime('RUNNING_BUILDING', 'cpu-basic'))
    expect(judgeCommit(SHA, serving(OLD), built)).toBe('pending')
  })
  it('does not fail on an error stage left over from before the commit, only on one that is news', () => {
    const broken = runtime('BUILD_ERROR', null, 'cpu-basic', { errorMessage: 'old failure' })
    const leftover = [broken].reduce(gather, noEvidence(broken))
    expect(judgeCommit(SHA, broken, leftover)).toBe('pending')
    expect(judgeCommit(SHA, broken, gather(leftover, runtime('BUILDING', null)))).toBe('fail')
    expect(judgeCommit(SHA, runtime('CONFIG_ERROR', null), after(runtime('CONFIG_ERROR', null)))).toBe('fail')
  })
  it('takes a failed Space that runs again as built', () => {
    const broken = runtime('RUNTIME_ERROR', null)
    expect(judgeCommit(SHA, running, gather(noEvidence(broken), running))).toBe('done')
  })
  it('fails on PAUSED and wakes a sleeping Space', () => {
    expect(judgeCommit(SHA, runtime('PAUSED', null), after())).toBe('fail')
    expect(judgeCommit(SHA, runtime('SLEEPING', null), after())).toBe('wake')
  })
})

describe('the poll policy', () => {
  const seen = (stage: string, sinceChangeMs: number, over: Partial<PollState> = {}): PollState => ({
    stage,
    sinceChangeMs,
    sinceStartMs: sinceChangeMs,
    ...over
  })

  it.each([
    // stage, ms since the last change, nominal interval
    ['BUILDING', 0, BUILD_MIN_INTERVAL_MS],
    ['BUILDING', 6_000, BUILD_MIN_INTERVAL_MS],
    ['RUNNING_BUILDING', 12_000, BUILD_MIN_INTERVAL_MS],
    ['BUILDING', 18_000, 3000],
    ['BUILDING', 60_000, 10_000],
    ['RUNNING_BUILDING', 240_000, MAX_INTERVAL_MS],
    ['RUNNING_BUILDING', 60 * 60_000, MAX_INTERVAL_MS],
    ['RUNNING', 12_000, 2000],
    ['APP_STARTING', 0, NEAR_QUICK_INTERVAL_MS],
    ['APP_STARTING', NEAR_QUICK_SPAN_MS - 1, NEAR_QUICK_INTERVAL_MS],
    ['APP_STARTING', NEAR_QUICK_SPAN_MS, 1000],
    ['APP_STARTING', 30_000, 1000],
    ['RUNNING_APP_STARTING', 60_000, 2000],
    ['RUNNING_APP_STARTING', 10 * 60_000, NEAR_MAX_INTERVAL_MS]
  ])('polls %s, unchanged for %i ms, every %i ms', (stage, ms, interval) => {
    expect(nominalDelay(seen(stage, ms))).toBe(interval)
  })

  it('polls quickly right after a commit until a build shows, never slower than the cap while none has', () => {
    const awaiting = (sinceChangeMs: number, sinceStartMs: number) =>
      nominalDelay(seen('RUNNING', sinceChangeMs, { sinceStartMs, buildWindowMs: 60_000 }))
    expect(awaiting(0, 0)).toBe(QUICK_INTERVAL_MS)
    expect(awaiting(QUICK_SPAN_MS - 1, QUICK_SPAN_MS - 1)).toBe(QUICK_INTERVAL_MS)
    expect(awaiting(QUICK_SPAN_MS, QUICK_SPAN_MS)).toBe(AWAIT_BUILD_MAX_MS)
    // A restart for no build opens the window again: quick again, though the answer has not changed.
    expect(awaiting(50_000, 0)).toBe(QUICK_INTERVAL_MS)
    expect(awaiting(0, QUICK_SPAN_MS)).toBe(1000)
  })

  it('jitters only shorter, by at most a fifth', () => {
    expect(pollDelay(seen('BUILDING', 60_000), 0)).toBe(10_000)
    expect(pollDelay(seen('BUILDING', 60_000), 0.5)).toBe(9_000)
    expect(pollDelay(seen('BUILDING', 60_000), 0.999)).toBe(8_002)
  })

  it('slows down when the rate-limit budget runs low, and waits for the reset when it is spent', () => {
    const near = seen('APP_STARTING', 0)
    expect(pollDelay({ ...near, budget: { remaining: 51, resetMs: 200_000 } }, 0)).toBe(500)
    expect(pollDelay({ ...near, budget: { remaining: 25, resetMs: 200_000 } }, 0)).toBe(10_000)
    expect(pollDelay({ ...near, budget: { remaining: 5, resetMs: 20_000 } }, 0)).toBe(21_000)
  })

  it('never sleeps past the end of the build window', () => {
    const state = seen('RUNNING', 58_500, { buildWindowMs: 60_000 })
    expect(pollDelay(state, 0)).toBe(1500)
    expect(pollDelay({ ...state, budget: { remaining: 10, resetMs: 100_000 } }, 0)).toBe(1500)
  })
})

describe('waitFor a commit', () => {
  const running = runtime('RUNNING', 'cpu-basic')
  function commitRequest(clock: FakeClock, over: Partial<WaitRequest> = {}): WaitRequest {
    return {
      spaceId: 'acme/eval-app',
      target: { kind: 'commit', sha: SHA },
      before: running,
      first: running,
      since: clock.now(),
      timeoutMs: 30 * 60_000,
      buildStart: { timeoutMs: 60_000, restartOnce: false },
      ...over
    }
  }

  it('ends only after the build ran, polling quickly so a short build is not missed', async () => {
    const clock = new FakeClock()
    const space = scripted([
      running,
      running,
      runtime('RUNNING_BUILDING', 'cpu-basic'),
      runtime('RUNNING_APP_STARTING', 'cpu-basic'),
      running
    ])
    const { deps: d, lines } = deps(clock, space.spaces)
    const result = await waitFor(commitRequest(clock), d)
    expect(result.polls).toBe(5)
    expect(Math.max(...clock.sleeps.slice(0, 3))).toBeLessThanOrEqual(QUICK_INTERVAL_MS)
    expect(lines.at(-1)).toBe(`A build ran after commit ${SHA.slice(0, 7)} landed, and the Space is RUNNING.`)
  })

  it('says the Hub started no build when none shows within the window, at the window, with the log tail', async () => {
    const clock = new FakeClock()
    const space = scripted([running], ['Application startup complete.'])
    const { deps: d } = deps(clock, space.spaces)
    const start = clock.now()
    const error = (await waitFor(commitRequest(clock), d).catch((e: unknown) => e)) as SpaceFailure
    expect(error).toBeInstanceOf(SpaceFailure)
    expect(error.code).toBe('no-build')
    expect(error.message).toBe(
      `The Hub started no build for this commit (${SHA.slice(0, 7)}) within 1m of the commit; the Space is still RUNNING.`
    )
    expect(error.advice).toContain('factory-reboot: true')
    expect(error.advice).toContain('restart-if-no-build: true')
    expect(error.logs).toEqual(['Application startup complete.'])
    expect(clock.now() - start).toBe(60_000)
    expect(Math.max(...clock.sleeps)).toBeLessThanOrEqual(AWAIT_BUILD_MAX_MS)
  })

  it('restarts once when opted in, then waits for that build', async () => {
    const clock = new FakeClock()
    let restarts = 0
    const answers: Runtime[] = [running]
    const space = {
      runtime: () => Promise.resolve(answers.shift() ?? running),
      logTail: () => Promise.resolve([])
    }
    const { deps: d, lines } = deps(clock, space)
    const result = await waitFor(
      commitRequest(clock, {
        buildStart: { timeoutMs: 10_000, restartOnce: true },
        restart: () => {
          restarts++
          answers.push(runtime('APP_STARTING', null))
          return Promise.resolve(runtime('BUILDING', null, 'cpu-basic'))
        }
      }),
      d
    )
    expect(restarts).toBe(1)
    expect(result.runtime.stage).toBe('RUNNING')
    expect(
      lines.some(
        l => l.startsWith('warning: The Hub started no build') && l.endsWith('(restart-if-no-build).')
      )
    ).toBe(true)
  })

  it('restarts only once: a restart that starts no build either fails', async () => {
    const clock = new FakeClock()
    let restarts = 0
    const { deps: d } = deps(clock, scripted([running]).spaces)
    const error = (await waitFor(
      commitRequest(clock, {
        buildStart: { timeoutMs: 10_000, restartOnce: true },
        restart: () => {
          restarts++
          return Promise.resolve(running)
        }
      }),
      d
    ).catch((e: unknown) => e)) as SpaceFailure
    expect([restarts, error.code]).toEqual([1, 'no-build'])
    expect(error.message).toContain('within 10s of the restart')
  })

  it('does not fail on a BUILD_ERROR left over from before the commit, and then fails on the new one', async () => {
    const clock = new FakeClock()
    const old = runtime('BUILD_ERROR', null, 'cpu-basic', { errorMessage: 'old' })
    const fresh = runtime('BUILD_ERROR', null, 'cpu-basic', { errorMessage: 'new' })
    const space = scripted([old, old, runtime('BUILDING', null, 'cpu-basic'), fresh], ['ERROR: new'])
    const { deps: d } = deps(clock, space.spaces)
    const error = (await waitFor(commitRequest(clock, { before: old, first: old }), d).catch(
      (e: unknown) => e
    )) as SpaceFailure
    expect([error.code, error.message, error.logs]).toEqual([
      'space-failed',
      'acme/eval-app is BUILD_ERROR: new',
      ['ERROR: new']
    ])
    expect(space.logCalls).toEqual(['build'])
  })

  it('reports a leftover error that never moves as no build, naming the stage', async () => {
    const clock = new FakeClock()
    const old = runtime('BUILD_ERROR', null, 'cpu-basic', { errorMessage: 'old' })
    const { deps: d } = deps(clock, scripted([old]).spaces)
    const error = (await waitFor(commitRequest(clock, { before: old, first: old }), d).catch(
      (e: unknown) => e
    )) as SpaceFailure
    expect(error.code).toBe('no-build')
    expect(error.message).toContain('the Space is still BUILD_ERROR: old.')
  })

  it('is done at once when the runtime names the commit, with no poll', async () => {
    const clock = new FakeClock()
    const serving = runtime('RUNNING', 'cpu-basic', 'cpu-basic', { sha: SHA })
    const { deps: d, lines } = deps(clock, scripted([]).spaces)
    const result = await waitFor(commitRequest(clock, { before: undefined, first: serving }), d)
    expect(result.polls).toBe(0)
    expect(lines.at(-1)).toBe(`The runtime names ${SHA.slice(0, 7)} as the commit it serves.`)
  })

  it('with operation: wait, counts the window from its start and says what it cannot know', async () => {
    const clock = new FakeClock()
    const { deps: d } = deps(clock, scripted([running]).spaces)
    const error = (await waitFor(commitRequest(clock, { before: undefined }), d).catch(
      (e: unknown) => e
    )) as SpaceFailure
    expect(error.message).toContain('within 1m of the start of the wait')
    expect(error.advice).toContain('wait: true')
  })
})
