/**
 * The post step: puts the Space back as the main step's `teardown` input asked, after success, failure or
 * cancellation. One runtime read, then at most two writes; idempotent, so a Space already in the target state
 * (or already gone) is a notice, not a failure. A teardown that cannot be done fails loudly: paid hardware may be
 * left running.
 */
import * as core from '@actions/core'
import { asActionError } from './errors.js'
import { readToken } from './inputs.js'
import { FREE_FLAVOR } from './names.js'
import { SpacesApi } from './hub/spaces.js'
import { sameSleepTime } from './operations/hardware.js'
import { formatSleepTime, spaceUrl } from './report.js'
import { hubClient, runnerInputs, runnerState } from './runner.js'
import { loadTeardown, type TeardownState } from './state.js'

/** Post steps should be quick: fewer attempts than the main step. */
const POST_ATTEMPTS = 3

export async function run(): Promise<void> {
  const state = loadTeardown(runnerState)
  if (!state) {
    core.info('No teardown to do.')
    return
  }
  let client
  try {
    client = hubClient(state.endpoint, readToken(runnerInputs), undefined, POST_ATTEMPTS)
    core.info(await tearDown(new SpacesApi(client), state))
  } catch (error) {
    const failure = asActionError(error)
    if (failure.code === 'not-found') {
      core.warning(`${state.spaceId} is gone or not visible; nothing to tear down.`)
    } else {
      core.setFailed(
        `Teardown (${state.mode}) of ${state.spaceId} failed: ${failure.describe()}\n` +
          `The Space may still be running on paid hardware: check ${spaceUrl(state)}/settings.`
      )
    }
  } finally {
    await client?.close()
  }
}

/** Does what `state.mode` asks, unless the Space is already there. Returns what it did, for the log. */
export async function tearDown(spaces: SpacesApi, state: TeardownState): Promise<string> {
  const id = state.spaceId
  const now = await spaces.runtime(id)
  switch (state.mode) {
    case 'pause':
      if (now.stage === 'PAUSED') return `${id} is already paused.`
      await spaces.pause(id)
      return `Paused ${id}.`
    case 'downgrade':
      if (now.requestedHardware === null) return `${id} has no hardware to downgrade (static Space).`
      if (now.requestedHardware === FREE_FLAVOR) return `${id} is already on ${FREE_FLAVOR}.`
      await spaces.requestHardware(id, FREE_FLAVOR)
      return `Downgraded ${id} from ${now.requestedHardware} to ${FREE_FLAVOR}.`
    case 'restore':
      return restore(spaces, state, now)
  }
}

async function restore(
  spaces: SpacesApi,
  state: TeardownState,
  now: Awaited<ReturnType<SpacesApi['runtime']>>
): Promise<string> {
  const id = state.spaceId
  const { hardware, sleepTime, stage } = state.before
  if (!hardware) return `${id} had no hardware setting to restore (static Space).`
  // The Hub ignores sleep times on cpu-basic, so only a paid flavor gets one back; null means "never sleeps".
  const sleep = hardware !== FREE_FLAVOR && sleepTime !== undefined ? (sleepTime ?? -1) : undefined
  const done: string[] = []
  if (now.requestedHardware !== hardware) {
    await spaces.requestHardware(id, hardware, sleep)
    done.push(`hardware ${now.requestedHardware ?? 'none'} → ${hardware}`)
    if (sleep !== undefined) done.push(`sleep time ${formatSleepTime(sleep)}`)
  } else if (sleep !== undefined && !sameSleepTime(now.sleepTime, sleep)) {
    await spaces.setSleepTime(id, sleep)
    done.push(`sleep time ${formatSleepTime(now.sleepTime)} → ${formatSleepTime(sleep)}`)
  }
  // A Space that was paused before the job is paused again, so restoring never leaves it billing.
  if (stage === 'PAUSED' && now.stage !== 'PAUSED') {
    await spaces.pause(id)
    done.push('paused again')
  }
  return done.length ? `Restored ${id}: ${done.join(', ')}.` : `${id} is already as it was before the job.`
}
