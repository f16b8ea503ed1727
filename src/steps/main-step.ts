/**
 * The main step: inputs → validated plan → guardrails (flavor, price) → credentials → one runtime read (outputs and
 * teardown state are recorded here, before any write or wait) → the operation → outputs, summary, and a failure that
 * says what to do.
 */
import * as core from '@actions/core'
import { ActionError, asActionError } from '../errors.js'
import { realClock } from '../clock.js'
import { checkCeiling, hourlyPrice, isPaid, usd } from '../guards/cost.js'
import { authenticate } from '../auth/keyless.js'
import { explainRefusal } from '../auth/explain-refusal.js'
import { checkFlavor } from '../guards/flavors.js'
import { formatDuration } from '../plan/duration.js'
import { waitForApp } from '../wait/app-health.js'
import { readInputs } from '../plan/read-inputs.js'
import { OPERATIONS } from '../plan/operations.js'
import { requestedHardware, requestedSleep, withSleep, type Plan } from '../plan/plan.js'
import { HubError } from '../hub/errors.js'
import { SpacesApi, type PlannedWrite } from '../hub/spaces.js'
import type { Runtime } from '../hub/types.js'
import { runOperation } from '../operations/index.js'
import { appUrlFrom, outputs, renderSummary, type Report } from '../report/report.js'
import { hubClient, runnerInputs, runnerState, watchCancellation } from '../runner.js'
import { saveTeardown, teardownState } from '../teardown/state.js'
import { SpaceFailure } from '../wait/readiness.js'
import { runFleet } from './fleet.js'

export async function run(): Promise<void> {
  const cancellation = watchCancellation()
  let plan: Plan
  try {
    plan = readInputs(runnerInputs)
  } catch (error) {
    core.setFailed(asActionError(error).describe())
    cancellation.dispose()
    return
  }
  // FLEET CALL SITE (issue 11): several Spaces or a pattern go to src/steps/fleet.ts; one Space goes on below.
  if (plan.fleet) {
    await runFleet(plan, plan.fleet, cancellation.signal)
    cancellation.dispose()
    return
  }

  const token = plan.credentials.kind === 'token' ? plan.credentials.token : undefined
  const client = hubClient(plan.endpoint, token, cancellation.signal)
  const spaces = new SpacesApi(client, plan.dryRun ? { writes: [] } : undefined)
  const report: Report = { plan }
  const hardware = requestedHardware(plan)
  let paid = false
  try {
    let price: number | null = null
    if (hardware) {
      const { flavor } = await checkFlavor(spaces, hardware, text => core.warning(text))
      price = hourlyPrice(flavor)
      paid = isPaid(hardware, price)
      checkCeiling(hardware, price, plan.maxHourlyCost)
      if (price !== null) report.price = { flavor: hardware, usdPerHour: price }
    }
    await authenticate(client, plan.credentials, plan.spaceId, {
      getIdToken: audience => core.getIDToken(audience),
      mask: secret => core.setSecret(secret),
      env: process.env
    })
    const before = await readBefore(spaces, plan)
    if (before) {
      report.before = before
      report.appUrl = await appUrl(spaces, plan.spaceId, before)
    }
    // Outputs and state go out before anything can fail or hang, so a later step or the post step can clean up.
    publish(report)

    const safetySleep =
      requestedSleep(plan) === undefined && plan.teardown !== 'none' && paid && plan.safetySleepSeconds
    const effective = safetySleep ? withSleep(plan, safetySleep) : plan
    if (safetySleep) {
      core.info(
        `Setting a safety sleep time of ${formatDuration(safetySleep)} on ${hardware ?? ''}: if the runner dies ` +
          'before the post step, the Hub stops billing once the Space is idle. The post step puts the old one back.'
      )
    }
    if (plan.teardown === 'delete' && before && !OPERATIONS[plan.operation].creates) {
      core.warning(
        `teardown: delete will delete ${plan.spaceId} at the end of the job, and it existed before this step.`
      )
    }
    if (plan.teardown !== 'none' && !plan.dryRun) {
      saveTeardown(
        runnerState,
        teardownState(plan.spaceId, plan.endpoint, plan.teardown, before, {
          ...(safetySleep ? { safetySleep: true } : {}),
          ...(hardware && price
            ? { billing: { flavor: hardware, usdPerHour: price, since: Date.now() } }
            : {})
        })
      )
    }
    if (hardware && price)
      core.info(`${hardware} costs ${usd(price)}/hour, billed per minute while it starts or runs.`)

    const started = realClock.now()
    const result = await runOperation(
      {
        plan: effective,
        spaces,
        clock: realClock,
        random: Math.random,
        signal: cancellation.signal,
        info: line => core.info(line),
        warn: line => core.warning(line),
        publish: partial => {
          Object.assign(report, partial)
          publish(report)
        }
      },
      before
    )
    report.after = result.after
    report.summary = result.summary
    if (result.commit) report.commit = result.commit
    if (result.created !== undefined) report.created = result.created
    if (result.waitedMs !== undefined) report.waitedMs = result.waitedMs
    if (result.volumes) report.volumes = result.volumes
    if (result.after) report.appUrl = appUrlFrom(result.after) ?? report.appUrl
    core.info(result.summary)
    if (plan.healthPath && plan.wait && !plan.dryRun && result.after?.stage === 'RUNNING') {
      if (!report.appUrl)
        throw new ActionError(
          'bad-response',
          'The Hub reports no address for the app, so `health-path` cannot be checked.'
        )
      const url = new URL(plan.healthPath, report.appUrl).toString()
      await waitForApp(
        client,
        url,
        started + plan.timeoutSeconds * 1000,
        realClock,
        line => core.info(line),
        cancellation.signal
      )
    }
    if (spaces.dryRun) report.plannedWrites = showPlannedWrites(spaces.dryRun.writes)
  } catch (error) {
    report.error = asActionError(error)
    if (error instanceof SpaceFailure) {
      report.after = error.runtime
      report.logs = { kind: error.logKind, lines: error.logs }
      core.startGroup(`${error.logKind === 'build' ? 'Build' : 'Run'} log, last ${error.logs.length} lines`)
      core.info(error.logs.join('\n') || '(no log lines could be read)')
      core.endGroup()
    }
    if (error instanceof HubError && [401, 402, 403].includes(error.status)) {
      report.error.addAdvice(await explainRefusal(client, plan.spaceId, plan.operation, paid))
    }
  } finally {
    publish(report)
    await core.summary.addRaw(renderSummary(report)).write()
    if (report.error) core.setFailed(report.error.describe())
    await client.close()
    cancellation.dispose()
  }
}

/**
 * The runtime before any change. A missing Space is no error for the operations that make or remove one. The Hub may
 * answer 401 for a missing repo; for create and duplicate that reads as absent (their own call reports a bad token),
 * never for delete, where it would turn a bad token into "nothing to delete".
 */
async function readBefore(spaces: SpacesApi, plan: Plan): Promise<Runtime | undefined> {
  try {
    return await spaces.runtime(plan.spaceId)
  } catch (error) {
    if (!(error instanceof HubError)) throw error
    const { missingSpaceOk, creates } = OPERATIONS[plan.operation]
    if (missingSpaceOk && error.code === 'not-found') return undefined
    if (creates && error.status === 401) return undefined
    throw error
  }
}

function showPlannedWrites(writes: PlannedWrite[]): PlannedWrite[] {
  core.info(
    writes.length ? `Dry run: ${writes.length} write(s) would be sent:` : 'Dry run: nothing would be written.'
  )
  for (const write of writes) {
    core.info(
      `  ${write.method} ${write.path}${write.body === undefined ? '' : ` ${JSON.stringify(write.body)}`}`
    )
  }
  return writes
}

function publish(report: Report): void {
  for (const [name, value] of Object.entries(outputs(report))) core.setOutput(name, value)
}

/** From the runtime's domains, else from the Space info's host; '' when the Hub gives neither. */
async function appUrl(spaces: SpacesApi, spaceId: string, runtime: Runtime): Promise<string | undefined> {
  const fromRuntime = appUrlFrom(runtime)
  if (fromRuntime) return fromRuntime
  try {
    const info = await spaces.info(spaceId)
    if (info.host) return info.host.startsWith('http') ? info.host : `https://${info.host}`
    return info.subdomain ? `https://${info.subdomain}.hf.space` : undefined
  } catch {
    return undefined
  }
}
