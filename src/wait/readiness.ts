/**
 * Waiting that means ready. A Space is ready when it is RUNNING on the requested hardware, not when its stage
 * merely settles: right after a hardware request the old container keeps answering RUNNING on the old flavor.
 * A commit is live only on evidence gathered after it landed (docs/hub-api.md §10.7, see `judgeCommit`):
 * the Space info's `sha` is the repository head and proves nothing.
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
 * `running`: RUNNING, on `hardware` if given; `serving`: and, when the runtime names the commit it serves (an
 * unconfirmed field), that commit. `orNoAppFile`: a Space just created has no app yet; that ends the wait.
 * `commit`: the build of this commit (a prefix is enough) runs, proven by evidence seen after it landed.
 */
export type Target =
  | { kind: 'running'; hardware?: string; serving?: string; orNoAppFile?: boolean }
  | { kind: 'paused' }
  | { kind: 'commit'; sha: string }

/** Stages of a build in progress: PY's "intermediate" stages (docs/hub-api.md §5). */
export const BUILD_STAGES: ReadonlySet<string> = new Set([
  'BUILDING',
  'RUNNING_BUILDING',
  'APP_STARTING',
  'RUNNING_APP_STARTING'
])
/** Stages a build or start ends in when it fails. */
const ERROR_STAGES: ReadonlySet<string> = new Set([
  'BUILD_ERROR',
  'RUNTIME_ERROR',
  'CONFIG_ERROR',
  'NO_APP_FILE'
])
/** Stages that will not become RUNNING without someone acting: stop waiting at once. */
const FAIL_FAST_RUNNING: ReadonlySet<string> = new Set([...ERROR_STAGES, 'DELETING', 'PAUSED', 'STOPPED'])
/** Poll failures worth riding out until the timeout (the client has already retried each). */
const TRANSIENT = new Set(['network', 'hub-unavailable', 'bad-response', 'rate-limited'])

/** An answer identical to the one before the change may be stale (the Hub has not applied it yet) for this long. */
export const STALE_GRACE_MS = 30_000
/**
 * The poll policy (`pollDelay`), by the stage last seen and how long it has lasted. Right after a change another
 * may follow soon: poll every second, then every sixth of the time the answer has stayed the same, up to the cap.
 * A build is far from readiness (a Docker build takes tens of seconds at the least): every 2 s at first, and the
 * cap is long, so 29 minutes of BUILDING cost about 75 reads. The stages right
 * before RUNNING say readiness is near: every half second at first, every second for half a minute, then a
 * thirtieth of the stage's age up to a low cap, so that RUNNING is noticed within a second or two of the app
 * starting while a slow start stays well inside the Hub's 500 requests per 5 minutes (docs/hub-api.md §8).
 */
const FAST_INTERVAL_MS = 1_000
const GROWTH = 1 / 6
export const BUILD_MIN_INTERVAL_MS = 2_000
export const MAX_INTERVAL_MS = 40_000
const NEAR_READY: ReadonlySet<string> = new Set(['APP_STARTING', 'RUNNING_APP_STARTING'])
export const NEAR_QUICK_INTERVAL_MS = 500
export const NEAR_QUICK_SPAN_MS = 4_000
const NEAR_GROWTH = 1 / 30
export const NEAR_MAX_INTERVAL_MS = 5_000
/** Right after a commit, until a build shows, poll this often for this long: a short build must not slip by. */
export const QUICK_INTERVAL_MS = 500
export const QUICK_SPAN_MS = 15_000
/** The longest interval while no build of the commit has shown yet. */
export const AWAIT_BUILD_MAX_MS = 2_000
/** Requests kept in hand for the teardown when the rate-limit budget runs low. */
const RESERVE = 5
const LOW_BUDGET = 50
/** Jitter shortens an interval by up to this fraction, never lengthens it. */
const JITTER = 0.2

export type Verdict = 'done' | 'pending' | 'wake' | 'fail'

/** What an observation means for the target. `possiblyStale` answers have not yet shown the change. */
export function judge(target: Target, runtime: Runtime, possiblyStale: boolean): Verdict {
  if (possiblyStale) return 'pending'
  if (target.kind === 'paused') {
    if (runtime.stage === 'PAUSED') return 'done'
    return runtime.stage === 'DELETING' ? 'fail' : 'pending'
  }
  if (target.kind === 'commit') throw new Error('judge: a commit is judged by judgeCommit')
  if (runtime.stage === 'RUNNING') {
    if (target.hardware && runtime.hardware !== target.hardware) return 'pending'
    return target.serving && runtime.sha !== null && !sameCommit(runtime.sha, target.serving)
      ? 'pending'
      : 'done'
  }
  if (runtime.stage === 'SLEEPING') return 'wake'
  if (runtime.stage === 'NO_APP_FILE' && target.orNoAppFile) return 'done'
  return FAIL_FAST_RUNNING.has(runtime.stage) ? 'fail' : 'pending'
}

/**
 * What the answers since a commit show. Only evidence gathered after the commit counts (docs/hub-api.md
 * §10.7): the first answers can still be the old RUNNING, and an error stage can be left over from before.
 */
export interface Evidence {
  /** The runtime when the commit landed (upload), or the first answer of `operation: wait`. */
  baseline: Runtime
  /** A build ran since: a build stage was seen, or a Space that had failed came back RUNNING. */
  built: boolean
  /** Some answer's stage differed from the baseline's: the Hub reacted. */
  moved: boolean
}

export function noEvidence(baseline: Runtime): Evidence {
  return { baseline, built: false, moved: false }
}

/** The evidence after one more answer. */
export function gather(evidence: Evidence, runtime: Runtime): Evidence {
  const revived = runtime.stage === 'RUNNING' && ERROR_STAGES.has(evidence.baseline.stage)
  return {
    baseline: evidence.baseline,
    built: evidence.built || BUILD_STAGES.has(runtime.stage) || revived,
    moved: evidence.moved || runtime.stage !== evidence.baseline.stage
  }
}

/**
 * Whether `sha` is live. Where the runtime names the commit it serves (unconfirmed: a 3P observation), RUNNING
 * must name this one; otherwise RUNNING counts only after a build was seen. An error stage fails only when it is
 * news (the Hub moved, or built, since the baseline): one left over from before the commit is not this commit's.
 * "No build started" is the caller's to decide, from the evidence and the time.
 */
export function judgeCommit(sha: string, runtime: Runtime, evidence: Evidence): Verdict {
  if (runtime.stage === 'RUNNING') {
    if (runtime.sha !== null) return sameCommit(runtime.sha, sha) ? 'done' : 'pending'
    return evidence.built ? 'done' : 'pending'
  }
  if (runtime.stage === 'SLEEPING') return 'wake'
  if (ERROR_STAGES.has(runtime.stage)) return evidence.built || evidence.moved ? 'fail' : 'pending'
  return FAIL_FAST_RUNNING.has(runtime.stage) ? 'fail' : 'pending'
}

/** A full sha and a prefix of it name the same commit. */
export function sameCommit(a: string, b: string): boolean {
  const [x, y] = [a.toLowerCase(), b.toLowerCase()]
  return x.startsWith(y) || y.startsWith(x)
}

/** What the poll policy sees after an answer. */
export interface PollState {
  /** The stage of the last answer. */
  stage: string
  /** Ms since the answer last changed (since the wait began, until it does). */
  sinceChangeMs: number
  /** Ms since the wait's window opened: the change request (a commit: it landing), or the restart made for no build. */
  sinceStartMs: number
  /** A commit's wait while no build of it has shown: the ms from the start within which one must show. */
  buildWindowMs?: number
  /** The Hub's rate-limit budget as last reported: requests left, and ms until the window resets. */
  budget?: { remaining: number; resetMs: number }
}

/** The nominal interval before the next poll, before jitter and the rate limit. */
export function nominalDelay(state: PollState): number {
  const { stage, sinceChangeMs } = state
  const normal = NEAR_READY.has(stage)
    ? sinceChangeMs < NEAR_QUICK_SPAN_MS
      ? NEAR_QUICK_INTERVAL_MS
      : clamp(sinceChangeMs * NEAR_GROWTH, FAST_INTERVAL_MS, NEAR_MAX_INTERVAL_MS)
    : clamp(
        sinceChangeMs * GROWTH,
        // A build stage short of the near-ready ones: BUILDING or RUNNING_BUILDING.
        BUILD_STAGES.has(stage) ? BUILD_MIN_INTERVAL_MS : FAST_INTERVAL_MS,
        MAX_INTERVAL_MS
      )
  if (state.buildWindowMs === undefined) return normal
  return state.sinceStartMs < QUICK_SPAN_MS ? QUICK_INTERVAL_MS : Math.min(normal, AWAIT_BUILD_MAX_MS)
}

/**
 * The delay before the next poll: the nominal interval, jittered shorter (`random` in [0, 1)) so that readiness
 * is never noticed later than the nominal interval; never sooner than the rate-limit budget allows when it runs
 * low (keeping a few requests for the teardown, or waiting for the reset when those are all that is left); and
 * never past the end of a commit's build window.
 */
export function pollDelay(state: PollState, random: number): number {
  let delay = Math.round(nominalDelay(state) * (1 - JITTER * random))
  const { budget } = state
  if (budget && budget.remaining <= LOW_BUDGET)
    delay = Math.max(
      delay,
      budget.remaining <= RESERVE ? budget.resetMs + 1000 : budget.resetMs / (budget.remaining - RESERVE)
    )
  if (state.buildWindowMs !== undefined)
    delay = Math.min(delay, Math.max(0, state.buildWindowMs - state.sinceStartMs))
  return delay
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value))
}

export interface WaitSpaces {
  /** `signal` aborts at the wait's deadline, so a hung answer cannot outlive the timeout. */
  runtime(spaceId: string, signal?: AbortSignal): Promise<Runtime>
  logTail(spaceId: string, kind: LogKind, lines: number): Promise<string[]>
}

export interface WaitRequest {
  spaceId: string
  target: Target
  /**
   * The runtime before the change, or undefined when nothing was changed (`operation: wait`). For a commit: the
   * runtime when it landed, the baseline that tells a leftover error stage from this commit's.
   */
  before: Runtime | undefined
  /** The first observation, usually the answer to the change request. */
  first: Runtime
  /** Clock time of the change request (for a commit: when it landed): times in the log are measured from it. */
  since: number
  timeoutMs: number
  /**
   * A commit only: how long after `since` a build must show before the step says the Hub started none, and
   * whether to restart the Space once then instead of failing.
   */
  buildStart?: { timeoutMs: number; restartOnce: boolean }
  /** Restarts the Space: to wake it when SLEEPING (at most once), or per `buildStart`. Absent when the action may not write. */
  restart?: () => Promise<Runtime>
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

/** The Space ended in a stage it will not leave by itself, no build started for a commit, or the timeout passed. */
export class SpaceFailure extends ActionError {
  constructor(
    code: 'space-failed' | 'no-build' | 'timeout',
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
  const { target } = request
  const start = clock.now()
  const deadline = start + request.timeoutMs
  let runtime = request.first
  let sawChange = request.before === undefined || !sameState(request.before, runtime)
  let evidence = target.kind === 'commit' ? gather(noEvidence(request.before ?? runtime), runtime) : undefined
  /** Where the window for a build to show starts: the commit, or the restart made because none showed. */
  let windowFrom = request.since
  /** When the answer last changed: the policy polls soon after a change, then slower. */
  let changedAt = start
  let polls = 0
  let woken = false
  let restartedForBuild = false
  const transientSeen = new Set<string>()
  announce(runtime)

  for (;;) {
    const verdict = verdictNow()
    if (verdict === 'done') {
      if (target.kind === 'commit') deps.info(provenBy(target.sha, runtime))
      return { runtime, waitedMs: clock.now() - start, polls }
    }
    if (verdict === 'fail') throw await failure('space-failed', runtime)
    if (verdict === 'wake' && request.restart && !woken) {
      deps.info('The Space is asleep: waking it with a restart.')
      woken = true
      note(await request.restart())
      continue
    }
    if (verdict === 'wake') throw await failure('space-failed', runtime)
    if (
      evidence &&
      !evidence.built &&
      request.buildStart &&
      clock.now() >= windowFrom + request.buildStart.timeoutMs
    ) {
      if (!request.buildStart.restartOnce || !request.restart || restartedForBuild)
        throw await failure('no-build', runtime)
      deps.warn(`${noBuildText()} Restarting the Space once (restart-if-no-build).`)
      restartedForBuild = true
      windowFrom = clock.now()
      note(await request.restart())
      continue
    }
    if (clock.now() >= deadline) throw await failure('timeout', runtime)

    await clock.sleep(Math.min(nextDelay(), Math.max(0, deadline - clock.now())), deps.signal)
    const pollDeadline = clock.signalAfter(deadline - clock.now())
    try {
      const next = await deps.spaces.runtime(request.spaceId, pollDeadline)
      polls++
      note(next)
    } catch (error) {
      polls++
      if (pollDeadline.aborted && !deps.signal?.aborted) throw await failure('timeout', runtime)
      if (!(error instanceof ActionError) || !TRANSIENT.has(error.code)) throw error
      if (!transientSeen.has(error.code))
        deps.warn(`Reading the runtime failed (${error.message}); still waiting.`)
      transientSeen.add(error.code)
    }
  }

  function verdictNow(): Verdict {
    if (target.kind === 'commit' && evidence) return judgeCommit(target.sha, runtime, evidence)
    const stale = !sawChange && clock.now() - request.since < STALE_GRACE_MS
    return judge(target, runtime, stale)
  }

  function note(next: Runtime): void {
    if (evidence) evidence = gather(evidence, next)
    if (!sameState(runtime, next)) {
      sawChange = sawChange || request.before === undefined || !sameState(request.before, next)
      changedAt = clock.now()
      announce(next)
    }
    runtime = next
  }

  function announce(observed: Runtime): void {
    deps.watch?.observe(observed)
    const on = observed.hardware ? ` on ${observed.hardware}` : ''
    const asked = observed.requestedHardware && observed.requestedHardware !== observed.hardware
    const serving = observed.sha ? `, serving ${observed.sha.slice(0, 7)}` : ''
    deps.info(
      `${observed.stage}${on}${asked ? ` (requested ${observed.requestedHardware})` : ''}${serving}` +
        ` +${formatDuration((clock.now() - request.since) / 1000)}`
    )
  }

  function nextDelay(): number {
    const now = clock.now()
    const limit = deps.rateLimit()
    const buildStart = evidence && !evidence.built ? request.buildStart : undefined
    return pollDelay(
      {
        stage: runtime.stage,
        sinceChangeMs: now - changedAt,
        sinceStartMs: now - windowFrom,
        ...(buildStart ? { buildWindowMs: buildStart.timeoutMs } : {}),
        ...(limit
          ? {
              budget: {
                remaining: limit.remaining,
                resetMs: Math.max(0, limit.resetSeconds * 1000 - (now - limit.at))
              }
            }
          : {})
      },
      deps.random()
    )
  }

  function noBuildText(): string {
    const sha = target.kind === 'commit' ? target.sha.slice(0, 7) : ''
    const window = formatDuration((request.buildStart?.timeoutMs ?? 0) / 1000)
    const from = restartedForBuild ? 'the restart' : request.before ? 'the commit' : 'the start of the wait'
    const said = runtime.errorMessage ? `: ${runtime.errorMessage}` : ''
    const serving = runtime.sha ? `, serving ${runtime.sha.slice(0, 7)}` : ''
    return `The Hub started no build for this commit (${sha}) within ${window} of ${from}; the Space is still ${runtime.stage}${said}${serving}.`
  }

  async function failure(
    code: 'space-failed' | 'no-build' | 'timeout',
    last: Runtime
  ): Promise<SpaceFailure> {
    const kind: LogKind = last.stage === 'RUNTIME_ERROR' || last.stage.startsWith('RUNNING') ? 'run' : 'build'
    const logs = await deps.spaces.logTail(request.spaceId, kind, LOG_LINES)
    const waited = formatDuration((clock.now() - start) / 1000)
    const said = last.errorMessage ? `: ${last.errorMessage}` : ''
    if (code === 'no-build') {
      const unseen = request.before
        ? ''
        : ' When the Hub does not name the commit it serves, a build that ended before this step cannot be told' +
          ' from none: wait in the upload step itself (`wait: true`).'
      return new SpaceFailure(
        code,
        noBuildText(),
        'The previous build is still what runs. Restart the Space (`operation: restart`), or rebuild it without the' +
          ' cache (`factory-reboot: true`) if a restart does not help; `restart-if-no-build: true` lets the step' +
          ` restart it once by itself, and \`build-start-timeout\` gives a slow Hub longer.${unseen}`,
        last,
        kind,
        logs
      )
    }
    if (code === 'timeout') {
      return new SpaceFailure(
        code,
        `Timed out after ${waited} waiting for ${request.spaceId} to be ${describeTarget(target)}; last stage ${last.stage}${said}.`,
        'Raise `timeout` if the Space is just slow to build; the log tail below shows where it was.',
        last,
        kind,
        logs
      )
    }
    return new SpaceFailure(
      code,
      `${request.spaceId} is ${last.stage}${said}`,
      adviceFor(last.stage, Boolean(request.restart)),
      last,
      kind,
      logs
    )
  }
}

/** How the wait knew the commit runs, for the log. */
function provenBy(sha: string, runtime: Runtime): string {
  return runtime.sha !== null
    ? `The runtime names ${sha.slice(0, 7)} as the commit it serves.`
    : `A build ran after commit ${sha.slice(0, 7)} landed, and the Space is RUNNING.`
}

export function describeTarget(target: Target): string {
  if (target.kind === 'paused') return 'PAUSED'
  if (target.kind === 'commit') return `RUNNING commit ${target.sha.slice(0, 7)}`
  return `RUNNING${target.hardware ? ` on ${target.hardware}` : ''}${target.serving ? ` commit ${target.serving.slice(0, 7)}` : ''}`
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
