/**
 * What the one-Space step (main-step.ts) and each Space of the many-Spaces step (fleet.ts) do once an operation has
 * run: record its result, then, with `health-path`, check that the app itself answers.
 */
import type { Clock } from '../clock.js'
import { ActionError } from '../errors.js'
import type { HubClient } from '../hub/client.js'
import type { OperationResult } from '../operations/context.js'
import type { Plan } from '../plan/plan.js'
import { appUrlFrom, type Report } from '../report/report.js'
import { waitForApp } from '../wait/app-health.js'

/** The part of a report an operation's result fills in. */
export type Recorded = Pick<
  Report,
  'after' | 'summary' | 'commit' | 'created' | 'waitedMs' | 'volumes' | 'appUrl'
>

export function recordResult(record: Recorded, result: OperationResult): void {
  record.after = result.after
  record.summary = result.summary
  if (result.commit) record.commit = result.commit
  if (result.created !== undefined) record.created = result.created
  if (result.waitedMs !== undefined) record.waitedMs = result.waitedMs
  if (result.volumes) record.volumes = result.volumes
  if (result.after) record.appUrl = appUrlFrom(result.after) ?? record.appUrl
}

export interface HealthCheck {
  client: HubClient
  clock: Clock
  signal: AbortSignal
  info: (line: string) => void
  /** When the operation began: the step's timeout counts from there. */
  started: number
}

/** With `health-path`, RUNNING is not enough: the app itself must answer. True when the app was checked. */
export async function checkHealth(
  plan: Plan,
  record: Pick<Recorded, 'after' | 'appUrl'>,
  check: HealthCheck
): Promise<boolean> {
  // A dry run has `wait` off (src/plan/read-inputs.ts), so its app is never probed.
  if (!plan.healthPath || !plan.wait || record.after?.stage !== 'RUNNING') return false
  if (!record.appUrl)
    throw new ActionError(
      'bad-response',
      'The Hub reports no address for the app, so `health-path` cannot be checked.'
    )
  await waitForApp(
    check.client,
    record.appUrl,
    plan.healthPath,
    check.started + plan.timeoutSeconds * 1000,
    check.clock,
    check.info,
    check.signal
  )
  return true
}
