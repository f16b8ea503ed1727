/**
 * request-storage and delete-storage. The Hub replaced persistent storage tiers by Storage Buckets mounted as volumes;
 * the calls are still sent (a Space may keep its old tier), and a refusal is explained with where to go instead.
 */
import { ActionError } from '../errors.js'
import { HubError } from '../hub/errors.js'
import type { Runtime } from '../hub/types.js'
import type { CommonPlan } from '../plan/plan.js'
import { STORAGE_TIERS, type StorageTier } from '../plan/names.js'
import { restartsOnChange, settle, type Context, type OperationResult } from './context.js'

const VOLUMES_ADVICE =
  'Persistent storage tiers were replaced by Storage Buckets mounted as volumes: create a bucket (hf buckets create) ' +
  'and mount it with `operation: set-volumes` and `volumes: hf://buckets/<owner>/<bucket>:/data` ' +
  '(https://huggingface.co/docs/hub/spaces-storage).'

export async function requestStorage(
  ctx: Context<CommonPlan & { storage: StorageTier }>,
  before: Runtime
): Promise<OperationResult> {
  const tier = ctx.plan.storage
  const current = before.storage
  if (current === tier) return { after: before, changed: false, summary: `Storage is already ${tier}.` }
  if (current && STORAGE_TIERS.indexOf(current as StorageTier) > STORAGE_TIERS.indexOf(tier)) {
    throw new ActionError(
      'bad-input',
      `The Space has ${current} storage; a tier cannot be lowered to ${tier}.`,
      'Run delete-storage first (its data is lost), then request-storage.'
    )
  }
  const since = ctx.clock.now()
  const first = await refusedAsDiscontinued(() => ctx.spaces.requestStorage(ctx.plan.spaceId, tier))
  const settled = restartsOnChange(before)
    ? await settle(ctx, { kind: 'running' }, before, first, since)
    : { after: first }
  return { ...settled, changed: true, summary: `Requested ${tier} persistent storage.` }
}

export async function deleteStorage(ctx: Context<CommonPlan>, before: Runtime): Promise<OperationResult> {
  if (!before.storage)
    return { after: before, changed: false, summary: 'The Space has no persistent storage.' }
  const since = ctx.clock.now()
  const first = await refusedAsDiscontinued(() => ctx.spaces.deleteStorage(ctx.plan.spaceId))
  const settled = restartsOnChange(before)
    ? await settle(ctx, { kind: 'running' }, before, first, since)
    : { after: first }
  return { ...settled, changed: true, summary: 'Deleted the persistent storage and its data.' }
}

async function refusedAsDiscontinued(call: () => Promise<Runtime>): Promise<Runtime> {
  try {
    return await call()
  } catch (error) {
    if (error instanceof HubError && error.status === 400) {
      throw new ActionError(
        'bad-request',
        `The Hub refused the storage request: ${error.details.serverMessage ?? 'HTTP 400'}`,
        VOLUMES_ADVICE,
        400
      )
    }
    throw error
  }
}
