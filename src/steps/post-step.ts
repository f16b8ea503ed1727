/**
 * The post step: puts the Space back as the main step's `teardown` input asked, after success, failure or
 * cancellation. One runtime read, then at most two writes; idempotent, so a Space already in the target state
 * (or already gone) is a notice, not a failure. A teardown that cannot be done fails loudly: paid hardware may be
 * left running.
 */
import * as core from '@actions/core'
import { asActionError } from '../errors.js'
import { usd } from '../guards/cost.js'
import { authenticate } from '../auth/keyless.js'
import { chooseCredentials } from '../plan/credentials.js'
import { formatDuration } from '../plan/duration.js'
import { readToken } from '../plan/read-inputs.js'
import { FREE_FLAVOR } from '../plan/names.js'
import { SpacesApi } from '../hub/spaces.js'
import { sameSleepTime } from '../operations/hardware.js'
import { escape, formatSleepTime, spaceUrl } from '../report/report.js'
import { hubClient, runnerInputs, runnerState } from '../runner.js'
import { loadTeardown, type TeardownState } from '../teardown/state.js'
import { tearDownFleet } from './fleet.js'

/** Post steps should be quick: fewer attempts than the main step. */
const POST_ATTEMPTS = 3

export async function run(): Promise<void> {
  // FLEET CALL SITE (issue 11): the teardown list of several Spaces, each put back by tearDown below.
  if (await tearDownFleet(tearDown, POST_ATTEMPTS)) return
  const state = loadTeardown(runnerState)
  if (!state) {
    core.info('No teardown to do.')
    return
  }
  let client
  try {
    // The token is read from the inputs again (never from state); keyless jobs exchange a new OIDC token.
    const token = readToken(runnerInputs)
    client = hubClient(state.endpoint, token, undefined, POST_ATTEMPTS)
    await authenticate(client, chooseCredentials(token, true, process.env), state.spaceId, {
      getIdToken: audience => core.getIDToken(audience),
      mask: secret => core.setSecret(secret),
      env: process.env
    })
    core.info(await tearDown(new SpacesApi(client), state))
    if (state.billing) await summarizeCost(state.billing)
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
    case 'pause': {
      const done =
        now.stage === 'PAUSED' ? `${id} is already paused.` : (await spaces.pause(id), `Paused ${id}.`)
      return done + (await restoreSafetySleep(spaces, state, now))
    }
    case 'downgrade':
      if (now.requestedHardware === null) return `${id} has no hardware to downgrade (static Space).`
      if (now.requestedHardware === FREE_FLAVOR) return `${id} is already on ${FREE_FLAVOR}.`
      await spaces.requestHardware(id, FREE_FLAVOR)
      return `Downgraded ${id} from ${now.requestedHardware} to ${FREE_FLAVOR}.`
    case 'restore':
      return restore(spaces, state, now)
    case 'delete':
      await spaces.delete(id)
      return `Deleted ${id}.`
  }
}

/** The main step's safety sleep time is its own addition: put the one from before the job back. */
async function restoreSafetySleep(
  spaces: SpacesApi,
  state: TeardownState,
  now: Awaited<ReturnType<SpacesApi['runtime']>>
): Promise<string> {
  const previous = state.before?.sleepTime
  if (!state.safetySleep || previous === undefined || now.requestedHardware === FREE_FLAVOR) return ''
  const seconds = previous ?? -1
  if (sameSleepTime(now.sleepTime, seconds)) return ''
  await spaces.setSleepTime(state.spaceId, seconds)
  return ` Sleep time set back to ${formatSleepTime(seconds)}.`
}

/** Adds to the job summary what the paid flavor cost during the job, at most (billing stops on teardown). */
async function summarizeCost(billing: NonNullable<TeardownState['billing']>): Promise<void> {
  const hours = Math.max(0, Date.now() - billing.since) / 3_600_000
  const text =
    `${billing.flavor} at ${usd(billing.usdPerHour)}/hour for ${formatDuration(hours * 3600)} during this job: ` +
    `at most ${usd(billing.usdPerHour * hours)} (billed per minute while the Space starts or runs).`
  core.info(text)
  await core.summary.addRaw(`<p>💰 ${escape(text)}</p>\n`).write()
}

async function restore(
  spaces: SpacesApi,
  state: TeardownState,
  now: Awaited<ReturnType<SpacesApi['runtime']>>
): Promise<string> {
  const id = state.spaceId
  if (!state.before)
    return `${id} did not exist before the job: nothing to restore (teardown: delete removes it).`
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
