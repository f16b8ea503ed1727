/** What every operation gets: the plan, the Hub, time, and a way to wait. */
import type { Clock } from '../clock.js'
import type { Logger } from '../logger.js'
import type { CommitWaitFields } from '../plan/operations.js'
import type { CommonPlan } from '../plan/plan.js'
import type { SpacesApi } from '../hub/spaces.js'
import type { Runtime, Volume } from '../hub/types.js'
import type { WaitWatcher } from '../wait/live-log.js'
import { waitFor, type Target } from '../wait/readiness.js'
import type { TrackedWrite } from '../teardown/state.js'

/** `P` is the plan of the operation at hand: a handler sees the fields its operation guarantees. */
export interface Context<P extends CommonPlan> {
  plan: P
  spaces: SpacesApi
  clock: Clock
  random: () => number
  signal?: AbortSignal
  log: Logger
  /** The step's environment: the commit message names the GitHub run from it. */
  env: NodeJS.ProcessEnv
  /** Publishes a result known before the wait (the commit made), so the outputs hold it even if the wait fails. */
  publish?: (partial: Pick<OperationResult, 'commit'>) => void
  /** Records a write the teardown must know about before it is sent (see TeardownJournal); absent without teardown. */
  track?: <T>(change: TrackedWrite, write: () => Promise<T>) => Promise<T>
  /** Follows the wait's stage changes: live logs and the timeline (src/wait/live-log.ts). */
  watch?: WaitWatcher
}

/** `write`, recorded for the teardown when the step has one. */
export function tracked<T>(
  ctx: Context<CommonPlan>,
  change: TrackedWrite,
  write: () => Promise<T>
): Promise<T> {
  return ctx.track ? ctx.track(change, write) : write()
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

type Settled = { after: Runtime; waitedMs?: number }

/** Whether a configuration change (secret, variable, storage, volumes) restarts the Space, so there is something to wait for. */
export function restartsOnChange(runtime: Runtime): boolean {
  return ['RUNNING', 'RUNNING_BUILDING', 'RUNNING_APP_STARTING', 'APP_STARTING', 'BUILDING'].includes(
    runtime.stage
  )
}

/** Time the step keeps, after its timeout, to report a failure (the log tail, what a refusal means). */
export const REPORT_MARGIN_MS = 10_000

/**
 * Waits for `target` unless `wait: false` (always so in a dry run: src/plan/read-inputs.ts). `before` is the runtime
 * before a write (answers equal to it may be stale); pass undefined when nothing was written. For a commit it is the
 * runtime when the commit landed, and `since` the moment it landed: the window for its build to show counts from
 * there (for `operation: wait`, from the wait's start).
 */
export async function settle(
  ctx: Context<CommonPlan>,
  target: Exclude<Target, { kind: 'commit' }>,
  before: Runtime | undefined,
  first: Runtime,
  since: number
): Promise<Settled>
export async function settle(
  ctx: Context<CommonPlan & CommitWaitFields>,
  target: Target,
  before: Runtime | undefined,
  first: Runtime,
  since: number
): Promise<Settled>
export async function settle(
  ctx: Context<CommonPlan & Partial<CommitWaitFields>>,
  target: Target,
  before: Runtime | undefined,
  first: Runtime,
  since: number
): Promise<Settled> {
  if (!ctx.plan.wait) return { after: first }
  const { plan, spaces } = ctx
  // A static Space has no build: it serves a commit as soon as the commit lands (docs/hub-api.md §10.7).
  if (target.kind === 'commit' && (await spaces.info(plan.spaceId)).sdk === 'static') {
    ctx.log.info(`A static Space serves commit ${target.sha.slice(0, 7)} as soon as it lands.`)
    return { after: first }
  }
  const result = await waitFor(
    {
      spaceId: plan.spaceId,
      target,
      before,
      first,
      since,
      // The step's deadline also bounds the wait, keeping time to read the log tail if it fails.
      timeoutMs: Math.min(plan.timeoutSeconds * 1000, spaces.client.timeLeft() - REPORT_MARGIN_MS),
      // The overloads give every commit wait its build window.
      ...(target.kind === 'commit' && plan.buildStartSeconds !== undefined
        ? {
            buildStart: {
              timeoutMs: plan.buildStartSeconds * 1000,
              restartOnce: plan.restartIfNoBuild ?? false
            }
          }
        : {}),
      ...(plan.credentials.kind !== 'anonymous' ? { restart: () => spaces.restart(plan.spaceId) } : {})
    },
    {
      spaces,
      clock: ctx.clock,
      random: ctx.random,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      rateLimit: () => spaces.client.rateLimit,
      info: line => ctx.log.info(line),
      warn: line => ctx.log.warn(line),
      ...(ctx.watch ? { watch: ctx.watch } : {})
    }
  )
  return { after: result.runtime, waitedMs: result.waitedMs }
}
