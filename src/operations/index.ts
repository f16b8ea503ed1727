/** Dispatches the plan's operation. Each operation receives the runtime read before any write. */
import { ActionError } from '../errors.js'
import type { Runtime } from '../hub/types.js'
import { deleteSecrets, deleteVariables, setSecrets, setVariables } from './config.js'
import type { Context, OperationResult } from './context.js'
import { requestHardware, setSleepTime } from './hardware.js'
import { pause, readOnly, restart, waitRunning } from './lifecycle.js'
import { createSpace, deleteSpace, duplicateSpace } from './repos.js'
import { deleteStorage, requestStorage } from './storage.js'

export type { Context, OperationResult } from './context.js'

/** `before` is undefined only when the Space does not exist, which create, duplicate and delete accept. */
export async function runOperation(ctx: Context, before: Runtime | undefined): Promise<OperationResult> {
  const { plan } = ctx
  switch (plan.operation) {
    case 'create':
      return createSpace(ctx, before)
    case 'duplicate':
      return duplicateSpace(ctx, before)
    case 'delete':
      return deleteSpace(ctx, before)
  }
  if (!before) throw new ActionError('not-found', `${plan.spaceId} does not exist.`, 'Check `space-id`.', 404)
  switch (plan.operation) {
    case 'runtime':
      return readOnly(before)
    case 'request-hardware':
      return requestHardware(ctx, before, plan.hardware ?? '')
    case 'set-sleep-time':
      return setSleepTime(ctx, before, plan.sleepSeconds ?? -1)
    case 'pause':
      return pause(ctx, before)
    case 'restart':
      return restart(ctx, before)
    case 'wait':
      return waitRunning(ctx, before)
    case 'set-secrets':
      return setSecrets(ctx, before)
    case 'delete-secrets':
      return deleteSecrets(ctx, before)
    case 'set-variables':
      return setVariables(ctx, before)
    case 'delete-variables':
      return deleteVariables(ctx, before)
    case 'request-storage':
      return requestStorage(ctx, before, plan.storage ?? 'small')
    case 'delete-storage':
      return deleteStorage(ctx, before)
    case 'upload':
      // Loaded only for uploads (file walking, hashing, picomatch): every other step starts faster without it.
      return (await import('./upload.js')).upload(ctx, before)
  }
}
