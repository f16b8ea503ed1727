/**
 * set-volumes and delete-volumes (docs/hub-api.md §6.7). The Hub replaces the whole list on each PUT, so the
 * current list is read from the Space info first, the input merged into it by mount path (or, with `prune`, put in
 * its place), and nothing is sent when that changes nothing. A source the Hub shows masked (a private repository the
 * token cannot read) is never written back: the step fails and says how to keep it.
 */
import { ActionError } from '../errors.js'
import { isMaskedSource, type Volume } from '../hub/types.js'
import type { CommonPlan } from '../plan/plan.js'
import { formatVolume } from '../plan/volumes.js'
import { finish } from './config.js'
import type { Context, OperationResult } from './context.js'
import type { Runtime } from '../hub/types.js'

type VolumesPlan = CommonPlan & { volumes: Volume[]; prune?: boolean }

export async function setVolumes(ctx: Context<VolumesPlan>, before: Runtime): Promise<OperationResult> {
  const { plan, spaces } = ctx
  const since = ctx.clock.now()
  const current = await spaces.volumes(plan.spaceId)
  const wanted = plan.prune ? plan.volumes : merge(current, plan.volumes)
  const masked = wanted.filter(v => isMaskedSource(v.source))
  if (masked.length) {
    throw new ActionError(
      'forbidden',
      `The Hub shows the source of ${masked.map(v => v.mountPath).join(', ')} masked (${masked[0]?.source ?? ''}): ` +
        'the token cannot read it, and writing the list back would replace it with the mask.',
      'Use a token that can read that private repository or bucket, or list that mount path in `volumes` with its ' +
        'real source, or use `prune: true` to drop it.',
      403
    )
  }
  if (sameVolumes(current, wanted)) {
    return { after: before, changed: false, summary: 'Volumes: already as asked.', volumes: current }
  }
  const mounts = new Set(wanted.map(v => v.mountPath))
  const removed = current.filter(v => !mounts.has(v.mountPath)).map(v => v.mountPath)
  const changed = wanted.filter(v => !current.some(c => same(c, v))).map(v => formatVolume(v))
  await spaces.setVolumes(plan.spaceId, wanted)
  const summary = `Volumes: mounted ${changed.join(', ')}.${removed.length ? ` Removed ${removed.join(', ')}.` : ''}`
  return { ...(await finish(ctx, before, since, 1, summary)), volumes: wanted }
}

export async function deleteVolumes(ctx: Context<CommonPlan>, before: Runtime): Promise<OperationResult> {
  const { plan, spaces } = ctx
  const since = ctx.clock.now()
  const current = await spaces.volumes(plan.spaceId)
  // The Hub answers 400 to a DELETE with nothing mounted: "no volumes" is already done.
  if (!current.length)
    return { after: before, changed: false, summary: 'Volumes: none mounted.', volumes: [] }
  await spaces.deleteVolumes(plan.spaceId)
  const summary = `Volumes: removed ${current.map(v => v.mountPath).join(', ')}.`
  return { ...(await finish(ctx, before, since, 1, summary)), volumes: [] }
}

/** The current list with each given volume in place of the one on its mount path, new mount paths at the end. */
function merge(current: Volume[], given: Volume[]): Volume[] {
  const byMount = new Map(given.map(v => [v.mountPath, v]))
  const kept = current.map(v => byMount.get(v.mountPath) ?? v)
  const mounted = new Set(current.map(v => v.mountPath))
  return [...kept, ...given.filter(v => !mounted.has(v.mountPath))]
}

function sameVolumes(a: Volume[], b: Volume[]): boolean {
  return a.length === b.length && b.every(v => a.some(c => same(c, v)))
}

/** Equal as mounted: repositories are always read-only, buckets read-write unless asked. */
function same(a: Volume, b: Volume): boolean {
  const key = (v: Volume): string =>
    JSON.stringify([
      v.type,
      v.source,
      v.mountPath,
      v.revision ?? null,
      v.type === 'bucket' ? (v.readOnly ?? false) : true,
      v.path ?? ''
    ])
  return key(a) === key(b)
}
