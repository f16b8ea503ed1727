/**
 * create, duplicate and delete. An existing Space is not an error by default (`exist-ok`): the requested settings are
 * applied to it, so the same step can run on every push. Delete treats a Space that is already gone as done.
 */
import { ActionError } from '../errors.js'
import { HubError } from '../hub/errors.js'
import type { NewSpaceSettings } from '../hub/spaces.js'
import type { Runtime } from '../hub/types.js'
import { FREE_FLAVOR } from '../plan/names.js'
import type { CommonPlan, CreateFields, SpaceSettings } from '../plan/plan.js'
import { setSecrets, setVariables } from './config.js'
import { settle, tracked, type Context, type OperationResult } from './context.js'
import { FREE_SLEEP_WARNING, requestHardware, setSleepTime } from './hardware.js'
import { requestStorage } from './storage.js'
import { setVolumes } from './volumes.js'

type SettingsPlan = CommonPlan & SpaceSettings & { sdk?: CreateFields['sdk'] }

export async function createSpace(
  ctx: Context<CommonPlan & CreateFields>,
  before: Runtime | undefined
): Promise<OperationResult> {
  const { plan, spaces } = ctx
  if (before) return applyToExisting(ctx, before)
  const since = ctx.clock.now()
  try {
    const settings = newSpaceSettings(ctx)
    const url = await tracked(ctx, { created: true }, () => spaces.create(plan.spaceId, plan.sdk, settings))
    ctx.log.info(`Created ${url} (${plan.sdk}).`)
  } catch (error) {
    const existing = await existingAfterRefusal(ctx, error)
    if (existing) return applyToExisting(ctx, existing)
    if (error instanceof ActionError && error.code === 'payment-required') {
      throw error.withAdvice('Static Spaces (sdk: static) are free on every plan.')
    }
    throw error
  }
  return afterCreation(ctx, since, 'Created')
}

export async function duplicateSpace(
  ctx: Context<CommonPlan & SpaceSettings & { fromSpace: string }>,
  before: Runtime | undefined
): Promise<OperationResult> {
  const { plan, spaces } = ctx
  const from = plan.fromSpace
  if (before) return applyToExisting(ctx, before)
  const since = ctx.clock.now()
  try {
    const settings = newSpaceSettings(ctx)
    const url = await tracked(ctx, { created: true }, () => spaces.duplicate(from, plan.spaceId, settings))
    ctx.log.info(`Duplicated ${from} into ${url}.`)
  } catch (error) {
    const existing = await existingAfterRefusal(ctx, error)
    if (existing) return applyToExisting(ctx, existing)
    if (error instanceof HubError && error.code === 'not-found') {
      throw new ActionError(
        'not-found',
        `The Space to copy, ${from}, does not exist, or the token cannot see it.`,
        'Check `from-space`, and that the token can read it.',
        404
      )
    }
    throw error
  }
  return afterCreation(ctx, since, `Duplicated ${from} as`)
}

export async function deleteSpace(
  ctx: Context<CommonPlan>,
  before: Runtime | undefined
): Promise<OperationResult> {
  const { plan, spaces } = ctx
  if (!before) {
    ctx.log.warn(`${plan.spaceId} does not exist (or the token cannot see it): nothing to delete.`)
    return { changed: false, summary: `${plan.spaceId} was already gone.` }
  }
  try {
    await spaces.delete(plan.spaceId)
  } catch (error) {
    if (!(error instanceof HubError && error.code === 'not-found')) throw error
    ctx.log.warn(`${plan.spaceId} was deleted by someone else meanwhile.`)
  }
  return { changed: true, summary: `Deleted ${plan.spaceId}.` }
}

/** What the Hub takes at creation: the same settings a later step would set one by one, in one call. */
function newSpaceSettings(ctx: Context<SettingsPlan>): NewSpaceSettings {
  const { plan } = ctx
  let sleep = plan.sleepSeconds
  if (sleep !== undefined && (plan.hardware ?? FREE_FLAVOR) === FREE_FLAVOR) {
    ctx.log.warn(`${FREE_SLEEP_WARNING} The sleep time is not sent.`)
    sleep = undefined
  }
  return {
    ...(plan.private !== undefined ? { private: plan.private } : {}),
    ...(plan.hardware ? { hardware: plan.hardware } : {}),
    ...(sleep !== undefined ? { sleepTimeSeconds: sleep } : {}),
    ...(plan.storage ? { storageTier: plan.storage } : {}),
    ...(plan.secrets.length ? { secrets: plan.secrets.map(({ key, value }) => ({ key, value })) } : {}),
    ...(plan.variables.length ? { variables: plan.variables.map(({ key, value }) => ({ key, value })) } : {}),
    ...(plan.volumes.length ? { volumes: plan.volumes } : {})
  }
}

/**
 * A refusal that may only mean "it exists": a 409 always, and with exist-ok a 401/402/403 too (a token may lack the
 * right to create yet have write access to an existing Space, as the Python client assumes). Returns its runtime.
 */
async function existingAfterRefusal(
  ctx: Context<SettingsPlan>,
  error: unknown
): Promise<Runtime | undefined> {
  if (!(error instanceof HubError)) return undefined
  const { status } = error
  if (status !== 409 && !(ctx.plan.existOk && [401, 402, 403].includes(status))) return undefined
  try {
    return await ctx.spaces.runtime(ctx.plan.spaceId)
  } catch {
    return undefined
  }
}

async function afterCreation(
  ctx: Context<SettingsPlan>,
  since: number,
  verb: string
): Promise<OperationResult> {
  const { plan, spaces } = ctx
  const first = await spaces.runtime(plan.spaceId)
  const target = {
    kind: 'running',
    orNoAppFile: true,
    ...(plan.hardware ? { hardware: plan.hardware } : {})
  } as const
  const settled = await settle(ctx, target, undefined, first, since)
  const empty = settled.after.stage === 'NO_APP_FILE' ? ' It has no app file yet: upload one.' : ''
  return { ...settled, changed: true, created: true, summary: `${verb} ${plan.spaceId}.${empty}` }
}

async function applyToExisting(ctx: Context<SettingsPlan>, before: Runtime): Promise<OperationResult> {
  const { plan } = ctx
  if (!plan.existOk) {
    throw new ActionError(
      'bad-request',
      `${plan.spaceId} already exists.`,
      'Set `exist-ok: true` to apply the settings to the existing Space, or choose another `space-id`.',
      409
    )
  }
  ctx.log.info(`${plan.spaceId} already exists: applying the requested settings to it.`)
  await warnIfOtherSdk(ctx)
  // Each change is made without waiting; the step waits once at the end.
  const quiet = { ...ctx, plan: { ...plan, wait: false } }
  const since = ctx.clock.now()
  const steps: OperationResult[] = []
  const { hardware, sleepSeconds, storage } = plan
  if (hardware) steps.push(await requestHardware({ ...quiet, plan: { ...quiet.plan, hardware } }, before))
  else if (sleepSeconds !== undefined)
    steps.push(await setSleepTime({ ...quiet, plan: { ...quiet.plan, sleepSeconds } }, before))
  if (plan.variables.length) steps.push(await setVariables(quiet, before))
  if (plan.secrets.length) steps.push(await setSecrets(quiet, before, true))
  if (storage) steps.push(await requestStorage({ ...quiet, plan: { ...quiet.plan, storage } }, before))
  // Merged, never pruned: a re-run of create keeps volumes mounted by hand.
  if (plan.volumes.length)
    steps.push(await setVolumes({ ...quiet, plan: { ...quiet.plan, prune: false } }, before))
  const changed = steps.some(step => step.changed)
  const summary = [`${plan.spaceId} already existed.`, ...steps.map(step => step.summary)].join(' ')
  if (!changed) return { after: before, changed: false, created: false, summary }
  const first = await ctx.spaces.runtime(plan.spaceId)
  const target = { kind: 'running', ...(plan.hardware ? { hardware: plan.hardware } : {}) } as const
  const settled = await settle(ctx, target, before, first, since)
  return { ...settled, changed: true, created: false, summary }
}

/** The action never changes a Space's SDK: say so when the input differs from the Space. */
async function warnIfOtherSdk(ctx: Context<SettingsPlan>): Promise<void> {
  const { plan } = ctx
  if (!plan.sdk) return
  const info = await ctx.spaces.info(plan.spaceId).catch(() => undefined)
  if (info?.sdk && info.sdk !== plan.sdk) {
    ctx.log.warn(
      `${plan.spaceId} is a ${info.sdk} Space; \`sdk: ${plan.sdk}\` was not applied (the action never changes a Space's SDK).`
    )
  }
}
