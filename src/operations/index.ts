/** Dispatches the plan's operation. Each operation receives the runtime read before any write. */
import type { Runtime } from '../hub/types.js'
import type { Context, OperationResult } from './context.js'
import { requestHardware, setSleepTime } from './hardware.js'
import { pause, readOnly, restart, waitRunning } from './lifecycle.js'

export type { Context, OperationResult } from './context.js'

export async function runOperation(ctx: Context, before: Runtime): Promise<OperationResult> {
  const { plan } = ctx
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
  }
}
