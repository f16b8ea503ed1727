/** pause, restart, wait and the read-only runtime operation. */
import type { Runtime } from '../hub/types.js'
import type { CommitWaitFields } from '../plan/operations.js'
import type { CommonPlan } from '../plan/plan.js'
import { settle, type Context, type OperationResult } from './context.js'

export async function pause(ctx: Context<CommonPlan>, before: Runtime): Promise<OperationResult> {
  if (before.stage === 'PAUSED') return { after: before, changed: false, summary: 'Already paused.' }
  const since = ctx.clock.now()
  const first = await ctx.spaces.pause(ctx.plan.spaceId)
  const settled = await settle(ctx, { kind: 'paused' }, before, first, since)
  return { ...settled, changed: true, summary: 'Paused; billing for its hardware has stopped.' }
}

export async function restart(
  ctx: Context<CommonPlan & { factoryReboot: boolean }>,
  before: Runtime
): Promise<OperationResult> {
  const { plan } = ctx
  const since = ctx.clock.now()
  const first = await ctx.spaces.restart(plan.spaceId, plan.factoryReboot)
  const settled = await settle(ctx, { kind: 'running' }, before, first, since)
  const what = plan.factoryReboot ? 'Factory rebuild' : 'Restart'
  return {
    ...settled,
    changed: true,
    summary: `${what} requested${plan.wait ? ' and the Space is running again' : ''}.`
  }
}

/**
 * Waits until RUNNING; a sleeping Space is woken (that needs a token). With `sha`, until that commit runs, by the
 * same evidence as upload; the window for its build to show counts from the start of the wait, the earliest moment
 * this step can observe anything.
 */
export async function waitRunning(
  ctx: Context<CommonPlan & { sha: string | undefined } & CommitWaitFields>,
  before: Runtime
): Promise<OperationResult> {
  const sha = ctx.plan.sha
  const target = sha ? ({ kind: 'commit', sha } as const) : ({ kind: 'running' } as const)
  const settled = await settle(ctx, target, undefined, before, ctx.clock.now())
  return {
    ...settled,
    changed: false,
    summary: ctx.plan.wait ? 'The Space is running.' : 'Read the runtime.'
  }
}

export function readOnly(_ctx: Context<CommonPlan>, before: Runtime): Promise<OperationResult> {
  return Promise.resolve({ after: before, changed: false, summary: `Stage ${before.stage}.` })
}
