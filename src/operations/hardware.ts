/** request-hardware and set-sleep-time. */
import { FREE_FLAVOR } from '../plan/names.js'
import { formatSleepTime } from '../report/report.js'
import { sleepTimeAsRead, type Runtime } from '../hub/types.js'
import type { CommonPlan } from '../plan/plan.js'
import { settle, tracked, type Context, type OperationResult } from './context.js'

export const FREE_SLEEP_WARNING =
  'cpu-basic Spaces always sleep after 48 hours of inactivity; the Hub does not honour a custom sleep time on free hardware.'

export type HardwarePlan = CommonPlan & { hardware: string; sleepSeconds: number | undefined }

export async function requestHardware(ctx: Context<HardwarePlan>, before: Runtime): Promise<OperationResult> {
  const { plan, spaces } = ctx
  const flavor = plan.hardware
  let sleep = plan.sleepSeconds
  if (sleep !== undefined && flavor === FREE_FLAVOR) {
    ctx.log.warn(`${FREE_SLEEP_WARNING} The sleep time is not sent.`)
    sleep = undefined
  }
  const sleepToSet = sleep !== undefined && !sameSleepTime(before.sleepTime, sleep) ? sleep : undefined

  if (before.requestedHardware === flavor) {
    // Already requested: never send it again, because a hardware request restarts the Space.
    const after =
      sleepToSet === undefined
        ? before
        : await tracked(ctx, { hardware: flavor, sleepTime: sleepToSet }, () =>
            spaces.setSleepTime(plan.spaceId, sleepToSet)
          )
    const changed = sleepToSet !== undefined
    if (before.stage === 'RUNNING' && before.hardware === flavor) {
      return {
        after,
        changed,
        summary: `Already running on ${flavor}; not restarted.${sleepNote(sleepToSet)}`
      }
    }
    ctx.log.info(
      `${flavor} is already requested (stage ${before.stage}); waiting for it without a new request.`
    )
    const settled = await settle(
      ctx,
      { kind: 'running', hardware: flavor },
      undefined,
      after,
      ctx.clock.now()
    )
    return {
      ...settled,
      changed,
      summary: `Waited for the pending request of ${flavor}.${sleepNote(sleepToSet)}`
    }
  }

  const since = ctx.clock.now()
  ctx.log.info(`Requesting ${flavor} (was ${before.requestedHardware ?? 'none'}).${sleepNote(sleepToSet)}`)
  const first = await tracked(
    ctx,
    { hardware: flavor, ...(sleepToSet !== undefined ? { sleepTime: sleepToSet } : {}) },
    () => spaces.requestHardware(plan.spaceId, flavor, sleepToSet)
  )
  const settled = await settle(ctx, { kind: 'running', hardware: flavor }, before, first, since)
  return {
    ...settled,
    changed: true,
    summary: `Requested ${flavor}${plan.wait ? ` and it is running` : ''}.${sleepNote(sleepToSet)}`
  }
}

export async function setSleepTime(
  ctx: Context<CommonPlan & { sleepSeconds: number }>,
  before: Runtime
): Promise<OperationResult> {
  const { plan, spaces } = ctx
  const seconds = plan.sleepSeconds
  const flavor = before.requestedHardware ?? before.hardware
  if (flavor === FREE_FLAVOR) ctx.log.warn(FREE_SLEEP_WARNING)
  if (sameSleepTime(before.sleepTime, seconds)) {
    return {
      after: before,
      changed: false,
      summary: `Sleep time is already ${formatSleepTime(sleepTimeAsRead(seconds))}.`
    }
  }
  // A sleep-time change does not restart the Space, so there is nothing to wait for.
  const after = await tracked(ctx, { sleepTime: seconds }, () => spaces.setSleepTime(plan.spaceId, seconds))
  return { after, changed: true, summary: `Sleep time set to ${formatSleepTime(sleepTimeAsRead(seconds))}.` }
}

/** Whether the sleep time the Hub reports is the one to write. */
export function sameSleepTime(current: number | null | undefined, wanted: number): boolean {
  return current === sleepTimeAsRead(wanted)
}

function sleepNote(seconds: number | undefined): string {
  return seconds === undefined ? '' : ` Sleep time ${formatSleepTime(sleepTimeAsRead(seconds))}.`
}
