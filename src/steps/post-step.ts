/**
 * The post step: puts the Space back as the main step's `teardown` input asked, after success, failure or
 * cancellation. One runtime read, then at most two writes; idempotent, so a Space already in the target state
 * (or already gone) is a notice, not a failure. A teardown that cannot be done fails loudly: paid hardware may be
 * left running.
 */
import { ActionError, asActionError } from '../errors.js'
import { usd } from '../guards/cost.js'
import { authenticate } from '../auth/keyless.js'
import { chooseCredentials } from '../plan/credentials.js'
import { formatDuration } from '../plan/duration.js'
import { readEndpoint, readGitHub, readSpaceId, readToken } from '../plan/read-inputs.js'
import { DEFAULT_ENDPOINT, FREE_FLAVOR, Input, State, type TeardownMode } from '../plan/names.js'
import { renderGantt } from '../report/timeline.js'
import { HubSpacesApi, type SpacesApi } from '../hub/spaces.js'
import { sameSleepTime } from '../operations/hardware.js'
import { escape, formatSleepTime, spaceUrl } from '../report/report.js'
import { githubRunner, type Runner } from '../runner.js'
import { loadTeardown, type TeardownState } from '../teardown/state.js'
import type { Clock } from '../clock.js'
import { sleepTimeAsRead, sleepTimeToWrite, type Runtime } from '../hub/types.js'
import { tearDownFleet } from './fleet.js'

/** Post steps should be quick: fewer attempts than the main step, and a time budget of their own. */
const POST_ATTEMPTS = 3
const POST_BUDGET_S = 60
/**
 * How long after the main step sent a write whose answer it never saw the post step watches for it to land: the
 * main step's client waits 30 s for an answer, and the Hub may apply a request a little after the client gave up.
 */
export const IN_FLIGHT_MS = 45_000
const WATCH_POLL_MS = 2_000

export async function run(): Promise<void> {
  await postStep(githubRunner({ cancellable: false }))
}

export async function postStep(runner: Runner): Promise<void> {
  const { log, inputs } = runner
  // Several Spaces: the teardown list, each put back by tearDown below.
  if (await tearDownFleet(runner, tearDown, POST_ATTEMPTS)) return
  let state: TeardownState | undefined
  try {
    state = loadTeardown(runner.state, () => ({
      spaceId: readSpaceId(inputs.get(Input.spaceId)),
      endpoint: readEndpoint(inputs.get(Input.endpoint) || inputs.env.HF_ENDPOINT || DEFAULT_ENDPOINT),
      mode: inputs.get(Input.teardown)
    }))
  } catch (error) {
    // A state is there, so the main step may have changed the Space: saying "nothing to do" could leave a GPU on.
    runner.setFailed(
      `${asActionError(error).describe()}\nNo teardown was done: the Space may still be running on paid hardware. ` +
        "Check the Space's settings on the Hub."
    )
    return
  }
  if (!state) {
    log.info('No teardown to do.')
    await finishGitHub(runner, undefined)
    return
  }
  let client
  let done = false
  try {
    // The token is read from the inputs again (never from state); keyless jobs exchange a new OIDC token.
    const token = readToken(inputs)
    client = runner.hubClient(state.endpoint, token, {
      maxAttempts: POST_ATTEMPTS,
      deadline: {
        at: runner.clock.now() + POST_BUDGET_S * 1000,
        what: `the post step's ${POST_BUDGET_S}s budget`
      }
    })
    await authenticate(client, chooseCredentials(token, true, runner.env), state.spaceId, {
      getIdToken: audience => runner.getIdToken(audience),
      mask: secret => inputs.mask(secret),
      env: runner.env
    })
    const started = runner.clock.now()
    log.info(
      await tearDown(new HubSpacesApi(client), state, {
        clock: runner.clock,
        info: text => log.info(text),
        warn: text => log.warn(text)
      })
    )
    done = true
    const segment = { label: `teardown (${state.mode})`, start: started, end: runner.clock.now() }
    await runner.appendSummary(`\n${renderGantt(`${state.spaceId} after the job`, [segment])}`)
    if (state.billing) await summarizeCost(runner, state.billing)
  } catch (error) {
    const failure = asActionError(error)
    if (failure.code === 'not-found') {
      log.warn(`${state.spaceId} is gone or not visible; nothing to tear down.`)
    } else {
      runner.setFailed(
        `Teardown (${state.mode}) of ${state.spaceId} failed: ${failure.describe()}\n` +
          `The Space may still be running on paid hardware: check ${spaceUrl(state)}/settings.`
      )
    }
  } finally {
    await client?.close()
    await finishGitHub(runner, { mode: state.mode, done })
  }
}

/**
 * ── GitHub call site (post): finishes the deployment and the comment the main step left; loads src/github/ only
 * when the main step saved something for it. Never fails the step.
 */
async function finishGitHub(
  runner: Runner,
  teardown: { mode: TeardownMode; done: boolean } | undefined
): Promise<void> {
  const { log } = runner
  if (!runner.state.get(State.github)) return
  try {
    const github = readGitHub(runner.inputs)
    if (!github) return
    const { GitHubSession } = await import('../github/index.js')
    await GitHubSession.finishInPost(
      github,
      {
        info: text => log.info(text),
        warn: text => log.warn(text),
        notice: text => log.notice(text),
        setOutput: (name, value) => runner.setOutput(name, value),
        state: runner.state
      },
      teardown
    )
  } catch (error) {
    log.warn(`Could not finish the records on GitHub: ${asActionError(error).message}`)
  }
}

export interface TeardownHooks {
  clock: Pick<Clock, 'now' | 'sleep'>
  info: (text: string) => void
  warn: (text: string) => void
}

/**
 * Does what `state.mode` asks, unless the Space is already there, and only to what this job changed: a Space another
 * job (or a person) moved on since is left to them. Returns what it did, for the log.
 */
export async function tearDown(
  spaces: SpacesApi,
  state: TeardownState,
  hooks: TeardownHooks
): Promise<string> {
  const id = state.spaceId
  if (state.mode === 'delete') return deleteOurs(spaces, state, hooks)
  let now = await spaces.runtime(id)
  let judged = state
  if (state.set && !state.set.landed && !shows(now, state.set)) {
    now = await watchForWrite(spaces, state, now, hooks)
    // A write that never showed is not this job's to undo: the Space is judged against what it was before.
    if (!shows(now, state.set)) judged = withoutSet(state)
  }
  const moved = movedOn(judged, now)
  if (moved) {
    hooks.warn(moved)
    return `${id} left as it is.`
  }
  switch (state.mode) {
    case 'pause': {
      const done =
        now.stage === 'PAUSED' ? `${id} is already paused.` : (await spaces.pause(id), `Paused ${id}.`)
      return done + (await restoreSafetySleep(spaces, judged, now))
    }
    case 'downgrade':
      if (now.requestedHardware === null) return `${id} has no hardware to downgrade (static Space).`
      if (now.requestedHardware === FREE_FLAVOR) return `${id} is already on ${FREE_FLAVOR}.`
      await spaces.requestHardware(id, FREE_FLAVOR)
      return `Downgraded ${id} from ${now.requestedHardware} to ${FREE_FLAVOR}.`
    case 'restore':
      return restore(spaces, judged, now)
  }
}

/** `teardown: delete` after create or duplicate deletes only a Space this step made; other operations as asked. */
async function deleteOurs(spaces: SpacesApi, state: TeardownState, hooks: TeardownHooks): Promise<string> {
  const id = state.spaceId
  if (state.created === 'sending') {
    // Gone (or never made) is no guess: the read answers not-found, which the caller reports as nothing to tear down.
    await spaces.runtime(id)
    throw new ActionError(
      'bad-response',
      `The request that created ${id} got no answer, so it is not known whether this step created it; ` +
        'it was not deleted on a guess.',
      'If this job created it, delete it with an `operation: delete` step; otherwise it belongs to someone else.'
    )
  }
  if (state.created === 'no') {
    hooks.warn(
      `${id} was not created by this step (it existed, or another job created it first): not deleted. ` +
        'To delete it, add an `operation: delete` step (in a cleanup job).'
    )
    return `${id} left as it is.`
  }
  await spaces.delete(id)
  return `Deleted ${id}.`
}

function withoutSet({ set: _set, ...rest }: TeardownState): TeardownState {
  return rest
}

/** Whether the runtime shows the write this step recorded. */
function shows(now: Runtime, set: NonNullable<TeardownState['set']>): boolean {
  return (
    (set.hardware === undefined || now.requestedHardware === set.hardware) &&
    (set.sleepTime === undefined || sameSleepTime(now.sleepTime, set.sleepTime))
  )
}

/**
 * A write the main step sent but never saw answered (the job was cancelled meanwhile) may still land: watch for it
 * until IN_FLIGHT_MS after it was sent, so the teardown undoes it rather than being undone by it.
 */
async function watchForWrite(
  spaces: SpacesApi,
  state: TeardownState,
  first: Runtime,
  hooks: TeardownHooks
): Promise<Runtime> {
  const set = state.set
  if (!set) return first
  const what = [
    set.hardware,
    set.sleepTime !== undefined ? `sleep time ${formatSleepTime(sleepTimeAsRead(set.sleepTime))}` : ''
  ]
    .filter(Boolean)
    .join(' with ')
  const deadline = set.at + IN_FLIGHT_MS
  hooks.info(
    `The main step's request for ${what} got no answer: watching until it shows, or for at most ${formatDuration(Math.ceil(Math.max(0, deadline - hooks.clock.now()) / 1000))}.`
  )
  let now = first
  while (!shows(now, set) && hooks.clock.now() < deadline) {
    await hooks.clock.sleep(Math.min(WATCH_POLL_MS, Math.max(0, deadline - hooks.clock.now())))
    now = await spaces.runtime(state.spaceId)
  }
  if (!shows(now, set)) {
    hooks.warn(
      `The request for ${what} the main step sent did not show on ${state.spaceId}; it may still land later. ` +
        `Check ${spaceUrl(state)}/settings after the job.`
    )
  }
  return now
}

/**
 * Why the Space is no longer this job's to tear down: it is not on what this job set (or, for restore, on what it
 * found and did not change). Undefined when it still is.
 */
function movedOn(state: TeardownState, now: Runtime): string | undefined {
  const set = state.set
  const expected = set?.hardware ?? (state.mode === 'restore' ? state.before?.hardware : undefined)
  if (expected && now.requestedHardware !== expected) {
    return (
      `${state.spaceId} is on ${now.requestedHardware ?? 'no hardware'}, not ${expected} as this job ${set?.hardware ? 'set' : 'left'} it: ` +
      `another job or a person changed it since, so its teardown (${state.mode}) is theirs; this job leaves it. ` +
      'Put overlapping jobs in one `concurrency:` group to avoid this.'
    )
  }
  return undefined
}

/** The main step's safety sleep time is its own addition: put the one from before the job back, unless changed since. */
async function restoreSafetySleep(spaces: SpacesApi, state: TeardownState, now: Runtime): Promise<string> {
  const previous = state.before?.sleepTime
  if (!state.safetySleep || previous === undefined || now.requestedHardware === FREE_FLAVOR) return ''
  if (state.set?.sleepTime !== undefined && !sameSleepTime(now.sleepTime, state.set.sleepTime)) return ''
  const seconds = sleepTimeToWrite(previous)
  if (sameSleepTime(now.sleepTime, seconds)) return ''
  await spaces.setSleepTime(state.spaceId, seconds)
  return ` Sleep time set back to ${formatSleepTime(previous)}.`
}

/** Adds to the job summary what the paid flavor cost during the job, at most (billing stops on teardown). */
async function summarizeCost(runner: Runner, billing: NonNullable<TeardownState['billing']>): Promise<void> {
  const hours = Math.max(0, runner.clock.now() - billing.since) / 3_600_000
  const text =
    `${billing.flavor} at ${usd(billing.usdPerHour)}/hour for ${formatDuration(hours * 3600)} during this job: ` +
    `at most ${usd(billing.usdPerHour * hours)} (billed per minute while the Space starts or runs).`
  runner.log.info(text)
  await runner.appendSummary(`<p>💰 ${escape(text)}</p>\n`)
}

async function restore(spaces: SpacesApi, state: TeardownState, now: Runtime): Promise<string> {
  const id = state.spaceId
  if (!state.before)
    return state.created === 'yes'
      ? `${id} did not exist before the job: nothing to restore (teardown: delete removes it).`
      : `${id} was not read before this step changed it: nothing known to restore.`
  const { hardware, sleepTime, stage } = state.before
  if (!hardware) return `${id} had no hardware setting to restore (static Space).`
  // The Hub ignores sleep times on cpu-basic, so only a paid flavor gets one back; null means "never sleeps".
  const sleep = hardware !== FREE_FLAVOR && sleepTime !== undefined ? sleepTimeToWrite(sleepTime) : undefined
  // Only a sleep time this job set is put back, and not one someone changed after it.
  const sleepMoved = state.set?.sleepTime !== undefined && !sameSleepTime(now.sleepTime, state.set.sleepTime)
  const done: string[] = []
  if (now.requestedHardware !== hardware) {
    await spaces.requestHardware(id, hardware, sleepMoved ? undefined : sleep)
    done.push(`hardware ${now.requestedHardware ?? 'none'} → ${hardware}`)
    if (sleep !== undefined && !sleepMoved) done.push(`sleep time ${formatSleepTime(sleepTimeAsRead(sleep))}`)
  } else if (
    sleep !== undefined &&
    state.set?.sleepTime !== undefined &&
    !sleepMoved &&
    !sameSleepTime(now.sleepTime, sleep)
  ) {
    await spaces.setSleepTime(id, sleep)
    done.push(`sleep time ${formatSleepTime(now.sleepTime)} → ${formatSleepTime(sleepTimeAsRead(sleep))}`)
  }
  // A Space that was paused before the job is paused again, so restoring never leaves it billing.
  if (stage === 'PAUSED' && now.stage !== 'PAUSED') {
    await spaces.pause(id)
    done.push('paused again')
  }
  return done.length ? `Restored ${id}: ${done.join(', ')}.` : `${id} is already as it was before the job.`
}
