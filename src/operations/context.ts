/** What every operation gets: the plan, the Hub, time, and a way to wait. */
import type { Clock } from '../clock.js'
import type { CommonPlan } from '../plan/plan.js'
import type { SpacesApi } from '../hub/spaces.js'
import type { Runtime, Volume } from '../hub/types.js'
import { waitFor, type Target } from '../wait/readiness.js'

/** `P` is the plan of the operation at hand: a handler sees the fields its operation guarantees. */
export interface Context<P extends CommonPlan> {
  plan: P
  spaces: SpacesApi
  clock: Clock
  random: () => number
  signal?: AbortSignal
  info: (line: string) => void
  warn: (line: string) => void
  /** Publishes a result known before the wait (the commit made), so the outputs hold it even if the wait fails. */
  publish?: (partial: Pick<OperationResult, 'commit'>) => void
}

export interface OperationResult {
  /** The runtime when the step ends; absent when the Space is gone (delete). */
  after?: Runtime
  /** True when a write was sent to the Hub. */
  changed: boolean
  /** One sentence on what the step did, for the log and the summary. */
  summary: string
  /** Milliseconds spent waiting, when the step waited. */
  waitedMs?: number
  /** create, duplicate: true when this step made the Space (false when it existed). */
  created?: boolean
  /** upload: the commit made (or, when nothing changed, the head that already has the folder's content). */
  commit?: { sha: string; url: string; prUrl: string | null; committed: boolean }
  /** set-volumes, delete-volumes: what is mounted when the step ends. */
  volumes?: Volume[]
}

/** Whether a configuration change (secret, variable, storage, volumes) restarts the Space, so there is something to wait for. */
export function restartsOnChange(runtime: Runtime): boolean {
  return ['RUNNING', 'RUNNING_BUILDING', 'RUNNING_APP_STARTING', 'APP_STARTING', 'BUILDING'].includes(
    runtime.stage
  )
}

/**
 * Waits for `target` unless `wait: false` (or a dry run). `before` is the runtime before a write (answers equal to it may be stale);
 * pass undefined when nothing was written.
 */
export async function settle(
  ctx: Context<CommonPlan>,
  target: Target,
  before: Runtime | undefined,
  first: Runtime,
  since: number
): Promise<{ after: Runtime; waitedMs?: number }> {
  if (!ctx.plan.wait || ctx.spaces.dryRun) return { after: first }
  const { plan, spaces } = ctx
  const result = await waitFor(
    {
      spaceId: plan.spaceId,
      target,
      before,
      first,
      since,
      timeoutMs: plan.timeoutSeconds * 1000,
      ...(plan.credentials.kind !== 'anonymous' ? { wake: () => spaces.restart(plan.spaceId) } : {})
    },
    {
      // Waiting for a commit polls the Space info, which has the deployed sha as well as the runtime.
      spaces:
        target.kind === 'running' && target.sha
          ? {
              runtime: (id, signal) => spaces.deployedRuntime(id, signal),
              logTail: (id, kind, n) => spaces.logTail(id, kind, n)
            }
          : spaces,
      clock: ctx.clock,
      random: ctx.random,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      rateLimit: () => spaces.client.rateLimit,
      info: ctx.info,
      warn: ctx.warn
    }
  )
  return { after: result.runtime, waitedMs: result.waitedMs }
}
