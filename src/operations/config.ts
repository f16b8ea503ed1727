/**
 * set-secrets, delete-secrets, set-variables, delete-variables. The Hub has no batch call and each change restarts a
 * running Space, so only what changes is sent: variables are read first and unchanged ones skipped. Secret values
 * cannot be read back, so every given secret is sent. The step then waits once for the Space to run again.
 */
import type { Runtime } from '../hub/types.js'
import type { KeyValue } from '../plan/key-values.js'
import type { CommonPlan } from '../plan/plan.js'
import { restartsOnChange, settle, type Context, type OperationResult } from './context.js'

/** `prune` is absent where the operation never prunes (create and duplicate on an existing Space). */
type VariablesPlan = CommonPlan & { variables: KeyValue[]; prune?: boolean }
type SecretsPlan = CommonPlan & { secrets: KeyValue[]; prune?: boolean }
type KeysPlan = CommonPlan & { keys: string[] }

export async function setVariables(ctx: Context<VariablesPlan>, before: Runtime): Promise<OperationResult> {
  const { plan, spaces } = ctx
  const since = ctx.clock.now()
  const current = await spaces.variables(plan.spaceId)
  const changed = plan.variables.filter(v => current.get(v.key)?.value !== v.value)
  const given = new Set(plan.variables.map(v => v.key))
  const removed = plan.prune ? [...current.keys()].filter(key => !given.has(key)) : []
  for (const { key, value } of changed) await spaces.setVariable(plan.spaceId, key, value)
  for (const key of removed) await spaces.deleteVariable(plan.spaceId, key)
  const unchanged = plan.variables.length - changed.length
  const summary =
    `Variables: ${list(
      'set',
      changed.map(v => v.key)
    )}${list('deleted', removed)}` + `${unchanged ? `${unchanged} already as asked.` : ''}`.trim()
  return finish(
    ctx,
    before,
    since,
    changed.length + removed.length,
    summary || 'Variables: nothing to change.'
  )
}

/**
 * Sends every given secret (values cannot be read back to compare). With `onlyMissing`, for create and duplicate
 * re-run on an existing Space, only keys the Space lacks are sent, so re-running the same step changes nothing.
 */
export async function setSecrets(
  ctx: Context<SecretsPlan>,
  before: Runtime,
  onlyMissing = false
): Promise<OperationResult> {
  const { plan, spaces } = ctx
  const since = ctx.clock.now()
  const given = new Set(plan.secrets.map(s => s.key))
  const existing = plan.prune || onlyMissing ? await existingSecretKeys(ctx) : undefined
  const removed = plan.prune && existing ? existing.filter(key => !given.has(key)) : []
  const toSet = onlyMissing && existing ? plan.secrets.filter(s => !existing.includes(s.key)) : plan.secrets
  for (const { key, value } of toSet) await spaces.setSecret(plan.spaceId, key, value)
  for (const key of removed) await spaces.deleteSecret(plan.spaceId, key)
  const kept = plan.secrets.length - toSet.length
  const note = kept ? `${kept} already set, not sent again (use set-secrets to overwrite). ` : ''
  const summary = `Secrets: ${list(
    'set',
    toSet.map(s => s.key)
  )}${list('deleted', removed)}${note}`.trim()
  return finish(ctx, before, since, toSet.length + removed.length, summary)
}

/** The keys the Space has; undefined (with a warning) if the Hub will not list them (the endpoint is unrecorded). */
async function existingSecretKeys(ctx: Context<SecretsPlan>): Promise<string[] | undefined> {
  try {
    return await ctx.spaces.secretKeys(ctx.plan.spaceId)
  } catch (error) {
    if (ctx.plan.prune) throw error
    ctx.log.warn(
      `Could not list the Space's secrets (${error instanceof Error ? error.message : String(error)}); sending all.`
    )
    return undefined
  }
}

export async function deleteSecrets(ctx: Context<KeysPlan>, before: Runtime): Promise<OperationResult> {
  const { plan, spaces } = ctx
  const since = ctx.clock.now()
  // Deleting a missing secret is a harmless no-op on the Hub; the secret list itself is not a recorded endpoint.
  for (const key of plan.keys) await spaces.deleteSecret(plan.spaceId, key)
  return finish(ctx, before, since, plan.keys.length, `Secrets: ${list('deleted', plan.keys)}`.trim())
}

export async function deleteVariables(ctx: Context<KeysPlan>, before: Runtime): Promise<OperationResult> {
  const { plan, spaces } = ctx
  const since = ctx.clock.now()
  const current = await spaces.variables(plan.spaceId)
  const present = plan.keys.filter(key => current.has(key))
  for (const key of present) await spaces.deleteVariable(plan.spaceId, key)
  const absent = plan.keys.length - present.length
  const summary = `Variables: ${list('deleted', present)}${absent ? `${absent} not there.` : ''}`.trim()
  return finish(ctx, before, since, present.length, summary)
}

/** After `changes` writes, wait for the Space to run again if the changes restarted it. */
export async function finish(
  ctx: Context<CommonPlan>,
  before: Runtime,
  since: number,
  changes: number,
  summary: string
): Promise<OperationResult> {
  if (!changes || !restartsOnChange(before)) return { after: before, changed: changes > 0, summary }
  const first = await ctx.spaces.runtime(ctx.plan.spaceId)
  const settled = await settle(ctx, { kind: 'running' }, before, first, since)
  return { ...settled, changed: true, summary }
}

/** "set A, B. " — key names only, never values. */
function list(verb: string, keys: string[]): string {
  return keys.length ? `${verb} ${keys.join(', ')}. ` : ''
}
