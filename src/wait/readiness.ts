/**
 * Waiting that means ready. A Space is ready when it is RUNNING on the requested hardware, not when its stage
 * merely settles: right after a hardware request the old container keeps answering RUNNING on the old flavor.
 * Error stages fail fast with the Hub's message and the log tail; everything else is bounded by the timeout.
 * Time and sleep come from an injected clock, so tests drive this loop without sleeping.
 */
import { ActionError } from '../errors.js'
import { formatDuration } from '../plan/duration.js'
import type { Clock } from '../clock.js'
import type { RateLimit } from '../hub/client.js'
import type { LogKind } from '../hub/spaces.js'
import type { Runtime } from '../hub/types.js'
import type { WaitWatcher } from './live-log.js'

/**
 * `hardware`: RUNNING on this flavor. `sha`: RUNNING the build of this commit (a prefix is enough).
 * `orNoAppFile`: a Space just created has no app yet; that ends the wait instead of failing it.
 */
export type Target =
  { kind: 'running'; hardware?: string; sha?: string; orNoAppFile?: boolean } | { kind: 'paused' }

/** Stages that will not become RUNNING without someone acting: stop waiting at once. */
const FAIL_FAST_RUNNING = new Set([
  'BUILD_ERROR',
  'RUNTIME_ERROR',
  'CONFIG_ERROR',
  'NO_APP_FILE',
  'DELETING',
  'PAUSED',
  'STOPPED'
])
/** Poll failures worth riding out until the timeout (the client has already retried each). */
const TRANSIENT = new Set(['network', 'hub-unavailable', 'bad-response', 'rate-limited'])

/** An answer identical to the one before the change may be stale (the Hub has not applied it yet) for this long. */
export const STALE_GRACE_MS = 30_000
const FAST_INTERVAL_MS = 1_000
/** Polls at the fast interval after each observed change, before backing off. */
const FAST_POLLS = 10
const GROWTH = 1.5
export const MAX_INTERVAL_MS = 15_000
/** Requests kept in hand for the teardown when the rate-limit budget runs low. */
const RESERVE = 5
const LOW_BUDGET = 50

export type Verdict = 'done' | 'pending' | 'wake' | 'fail'

/** What an observation means for the target. `possiblyStale` answers have not yet shown the change. */
export function judge(target: Target, runtime: Runtime, possiblyStale: boolean): Verdict {
  if (possiblyStale) return 'pending'
  if (target.kind === 'paused') {
    if (runtime.stage === 'PAUSED') return 'done'
    return runtime.stage === 'DELETING' ? 'fail' : 'pending'
  }
  if (runtime.stage === 'RUNNING') {
    if (target.hardware && runtime.hardware !== target.hardware) return 'pending'
    // The previous build keeps answering RUNNING until the new commit's build replaces it.
    return target.sha && !runtime.sha?.startsWith(target.sha) ? 'pending' : 'done'
  }
  if (runtime.stage === 'SLEEPING') return 'wake'
  if (runtime.stage === 'NO_APP_FILE' && target.orNoAppFile) return 'done'
  return FAIL_FAST_RUNNING.has(runtime.stage) ? 'fail' : 'pending'
}

export interface WaitSpaces {
  /** `signal` aborts at the wait's deadline, so a hung answer cannot outlive the timeout. */
  runtime(spaceId: string, signal?: AbortSignal): Promise<Runtime>
  logTail(spaceId: string, kind: LogKind, lines: number): Promise<string[]>
}

export interface WaitRequest {
  spaceId: string
  target: Target
  /** The runtime before the change, or undefined when nothing was changed (`operation: wait`). */
  before: Runtime | undefined
  /** The first observation, usually the answer to the change request. */
  first: Runtime
  /** Clock time of the change request: times in the log are measured from it. */
  since: number
  timeoutMs: number
  /** Wakes a SLEEPING Space (at most once); absent when the action may not write. */
  wake?: () => Promise<Runtime>
}

export interface WaitDeps {
  spaces: WaitSpaces
  clock: Clock
  random: () => number
  signal?: AbortSignal
  rateLimit: () => RateLimit | undefined
  info: (line: string) => void
  warn: (line: string) => void
  /** Sees each stage change (live logs, the timeline); stopped when the wait ends. */
  watch?: WaitWatcher
}

export interface WaitResult {
  runtime: Runtime
  waitedMs: number
  polls: number
}

/** The Space ended in a stage it will not leave by itself, or the timeout passed. */
export class SpaceFailure extends ActionError {
  constructor(
    code: 'space-failed' | 'timeout',
    message: string,
    advice: string,
    readonly runtime: Runtime,
    readonly logKind: LogKind,
    readonly logs: string[]
  ) {
    super(code, message, advice)
  }
}

const LOG_LINES = 40

export async function waitFor(request: WaitRequest, deps: WaitDeps): Promise<WaitResult> {
  try {
    return await waitUntil(request, deps)
  } finally {
    await deps.watch?.stop()
  }
}

async function waitUntil(request: WaitRequest, deps: WaitDeps): Promise<WaitResult> {
  const { clock } = deps
  const start = clock.now()
  const deadline = start + request.timeoutMs
  let runtime = request.first
  let sawChange = request.before === undefined || !sameState(request.before, runtime)
  let sinceChange = 0
  let polls = 0
  let woken = false
  const transientSeen = new Set<string>()
  describe(runtime)

  for (;;) {
    const stale = !sawChange && clock.now() - request.since < STALE_GRACE_MS
    const verdict = judge(request.target, runtime, stale)
    if (verdict === 'done') return { runtime, waitedMs: clock.now() - start, polls }
    if (verdict === 'fail') throw await failure('space-failed', runtime)
    if (verdict === 'wake' && request.wake && !woken) {
      deps.info('The Space is asleep: waking it with a restart.')
      woken = true
      runtime = await request.wake()
      note(runtime)
      continue
    }
    if (verdict === 'wake' && !request.wake) {
      throw await failure('space-failed', runtime)
    }
    if (clock.now() >= deadline) throw await failure('timeout', runtime)

    await clock.sleep(Math.min(nextDelay(sinceChange), Math.max(0, deadline - clock.now())), deps.signal)
    const pollDeadline = clock.signalAfter(deadline - clock.now())
    try {
      const next = await deps.spaces.runtime(request.spaceId, pollDeadline)
      polls++
      note(next)
      runtime = next
    } catch (error) {
      polls++
      if (pollDeadline.aborted && !deps.signal?.aborted) throw await failure('timeout', runtime)
      if (!(error instanceof ActionError) || !TRANSIENT.has(error.code)) throw error
      if (!transientSeen.has(error.code))
        deps.warn(`Reading the runtime failed (${error.message}); still waiting.`)
      transientSeen.add(error.code)
      sinceChange++
    }
  }

  function note(next: Runtime): void {
    if (sameState(runtime, next)) {
      sinceChange++
      return
    }
    sawChange = sawChange || request.before === undefined || !sameState(request.before, next)
    sinceChange = 0
    describe(next)
  }

  function describe(observed: Runtime): void {
    deps.watch?.observe(observed)
    const on = observed.hardware ? ` on ${observed.hardware}` : ''
    const asked = observed.requestedHardware && observed.requestedHardware !== observed.hardware
    deps.info(
      `${observed.stage}${on}${asked ? ` (requested ${observed.requestedHardware})` : ''}` +
        ` +${formatDuration((clock.now() - request.since) / 1000)}`
    )
  }

  /** The fast interval after a change, then growing to the cap; never beyond what the rate-limit budget allows. */
  function nextDelay(polled: number): number {
    const nominal =
      polled < FAST_POLLS
        ? FAST_INTERVAL_MS
        : Math.min(MAX_INTERVAL_MS, FAST_INTERVAL_MS * GROWTH ** (polled - FAST_POLLS + 1))
    // Jitter only shortens the interval, so readiness is never noticed later than the nominal interval.
    let delay = Math.round(nominal * (1 - 0.2 * deps.random()))
    const limit = deps.rateLimit()
    if (limit && limit.remaining <= LOW_BUDGET) {
      const resetMs = Math.max(0, limit.resetSeconds * 1000 - (clock.now() - limit.at))
      delay = Math.max(
        delay,
        limit.remaining <= RESERVE ? resetMs + 1000 : resetMs / (limit.remaining - RESERVE)
      )
    }
    return delay
  }

  async function failure(code: 'space-failed' | 'timeout', last: Runtime): Promise<SpaceFailure> {
    const kind: LogKind = last.stage === 'RUNTIME_ERROR' || last.stage.startsWith('RUNNING') ? 'run' : 'build'
    const logs = await deps.spaces.logTail(request.spaceId, kind, LOG_LINES)
    const waited = formatDuration((clock.now() - start) / 1000)
    const said = last.errorMessage ? `: ${last.errorMessage}` : ''
    if (code === 'timeout') {
      return new SpaceFailure(
        code,
        `Timed out after ${waited} waiting for ${request.spaceId} to be ${describeTarget(request.target)}; last stage ${last.stage}${said}.`,
        'Raise `timeout` if the Space is just slow to build; the log tail below shows where it was.',
        last,
        kind,
        logs
      )
    }
    return new SpaceFailure(
      code,
      `${request.spaceId} is ${last.stage}${said}`,
      adviceFor(last.stage, Boolean(request.wake)),
      last,
      kind,
      logs
    )
  }
}

export function describeTarget(target: Target): string {
  if (target.kind === 'paused') return 'PAUSED'
  return `RUNNING${target.hardware ? ` on ${target.hardware}` : ''}${target.sha ? ` commit ${target.sha.slice(0, 7)}` : ''}`
}

function sameState(a: Runtime, b: Runtime): boolean {
  return (
    a.stage === b.stage &&
    a.hardware === b.hardware &&
    a.requestedHardware === b.requestedHardware &&
    a.sha === b.sha
  )
}

function adviceFor(stage: string, mayWrite: boolean): string {
  switch (stage) {
    case 'BUILD_ERROR':
      return 'The build failed: fix the cause shown in the build log below, push, and run again.'
    case 'RUNTIME_ERROR':
      return 'The app crashed after starting: see the run log below.'
    case 'CONFIG_ERROR':
      return "The Space's configuration (README.md front matter) is invalid: see the message above."
    case 'NO_APP_FILE':
      return 'The Space has no app file (app.py, Dockerfile or index.html, as its SDK expects): upload one.'
    case 'PAUSED':
      return 'The Space is paused and will not start by itself: use `operation: restart` to start it.'
    case 'STOPPED':
      return 'The Space is stopped: use `operation: restart` to start it.'
    case 'SLEEPING':
      return mayWrite
        ? 'The Space did not wake up.'
        : 'The Space is asleep: give the step a token so it can wake it.'
    case 'DELETING':
      return 'The Space is being deleted.'
    default:
      return 'See the log tail below.'
  }
}
