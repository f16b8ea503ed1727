/** Runs the plan's operation: the table (src/plan/operations.ts) says which handler, loaded only now. */
import { ActionError } from '../errors.js'
import type { Runtime } from '../hub/types.js'
import { OPERATIONS } from '../plan/operations.js'
import type { Plan } from '../plan/plan.js'
import type { Context, OperationResult } from './context.js'

export type { Context, OperationResult } from './context.js'

/** `before` is undefined only when the Space does not exist, which the table allows for some operations. */
export async function runOperation(
  ctx: Context<Plan>,
  before: Runtime | undefined
): Promise<OperationResult> {
  const spec = OPERATIONS[ctx.plan.operation]
  if (!before && !spec.missingSpaceOk) {
    throw new ActionError('not-found', `${ctx.plan.spaceId} does not exist.`, 'Check `space-id`.', 404)
  }
  // The table pairs each operation with its handler's plan; TypeScript cannot follow that pairing through a lookup.
  const handler = (await spec.handler()) as (
    ctx: Context<Plan>,
    before: Runtime | undefined
  ) => Promise<OperationResult>
  return handler(ctx, before)
}
