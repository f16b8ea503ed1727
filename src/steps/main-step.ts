/**
 * The main step, as named phases: plan → guard → sign in → observe (outputs and teardown state are recorded here,
 * before any write or wait) → operate → verify → report. Each phase is a function; the rules live in the modules
 * that own them.
 */
import { explainRefusal } from '../auth/explain-refusal.js'
import { authenticate } from '../auth/keyless.js'
import { ActionError, asActionError } from '../errors.js'
import { usd } from '../guards/cost.js'
import { guardFlavor, guardedTeardown, safetySleep, UNGUARDED, type Guarded } from '../guards/flavor-guard.js'
import { HubError } from '../hub/errors.js'
import { DryRunSpacesApi } from '../hub/dry-run.js'
import { HubSpacesApi, type PlannedWrite, type SpacesApi } from '../hub/spaces.js'
import type { Runtime } from '../hub/types.js'
import { REPORT_MARGIN_MS } from '../operations/context.js'
import { runOperation } from '../operations/index.js'
import { formatDuration } from '../plan/duration.js'
import type { GitHubIO, GitHubSession } from '../github/index.js'
import { MissingCredentials } from '../plan/credentials.js'
import { Output } from '../plan/names.js'
import { OPERATIONS } from '../plan/operations.js'
import { Timeline } from '../report/timeline.js'
import { LiveLog, type LogSink, type WaitWatcher } from '../wait/live-log.js'
import { requestedHardware, withSleep, type Plan } from '../plan/plan.js'
import { readInputs } from '../plan/read-inputs.js'
import { appUrlFrom, outputs, renderSummary, type Report } from '../report/report.js'
import { githubRunner, type Runner } from '../runner.js'
import { saveTeardown, TeardownJournal, teardownState } from '../teardown/state.js'
import { SpaceFailure } from '../wait/readiness.js'
import { checkHealth, recordResult } from './result.js'

export async function run(): Promise<void> {
  const runner = githubRunner()
  try {
    await mainStep(runner)
  } finally {
    runner.dispose()
  }
}

export async function mainStep(runner: Runner): Promise<void> {
  let plan: Plan
  try {
    plan = readInputs(runner.inputs)
  } catch (error) {
    // A fork's or Dependabot's pull request has no credentials: skip with a notice, do not fail.
    const skip =
      error instanceof MissingCredentials ? (await import('../github/index.js')).skipNotice() : undefined
    if (skip) {
      runner.log.notice(skip)
      runner.setOutput(Output.skipped, 'true')
    } else runner.setFailed(asActionError(error).describe())
    return
  }
  // Several Spaces or a pattern go to src/steps/fleet.ts, loaded only then; one Space goes on below.
  if (plan.fleet) {
    const { runFleet } = await import('./fleet.js')
    await runFleet(runner, plan, plan.fleet)
    return
  }
  const { log } = runner
  const token = plan.credentials.kind === 'token' ? plan.credentials.token : undefined
  const client = runner.hubClient(plan.endpoint, token, {
    deadline: {
      // Every request of the step, not just the wait, ends by then.
      at: runner.clock.now() + plan.timeoutSeconds * 1000 + REPORT_MARGIN_MS,
      what: `the step's time limit (timeout ${formatDuration(plan.timeoutSeconds)} plus ${formatDuration(REPORT_MARGIN_MS / 1000)} to report)`
    }
  })
  const dryRun = plan.dryRun ? new DryRunSpacesApi(new HubSpacesApi(client)) : undefined
  const spaces: SpacesApi = dryRun ?? new HubSpacesApi(client)
  const report: Report = { plan }
  let guarded = UNGUARDED
  // The timeline and the live log both follow the wait's stage changes.
  const timeline = new Timeline(runner.clock.now())
  const liveLog = new LiveLog(spaces, plan.spaceId, runner.clock, liveLogSink(log), runner.signal)
  let github: GitHubSession | undefined
  try {
    // The deployment is in progress from here (src/github/ is loaded only when a GitHub feature is on).
    if (plan.github) {
      const { GitHubSession } = await import('../github/index.js')
      github = await GitHubSession.start(plan, plan.github, gitHubIO(runner))
    }
    guarded = await log.group('Guard', () => guard(runner, spaces, plan, report))
    await log.group('Sign in', () =>
      authenticate(client, plan.credentials, plan.spaceId, {
        getIdToken: audience => runner.getIdToken(audience),
        mask: secret => runner.inputs.mask(secret),
        env: runner.env
      })
    )
    const { before, journal } = await log.group('Observe', () =>
      observe(runner, spaces, plan, report, guarded)
    )
    const started = runner.clock.now()
    // Operate and verify are not folded: the wait prints the Space's log in groups of its own.
    await operate(runner, spaces, plan, report, guarded, before, journal, {
      observe: runtime => {
        timeline.stage(runtime.stage, runtime.hardware, runner.clock.now())
        liveLog.observe(runtime)
      },
      stop: () => liveLog.stop()
    })
    const checking = runner.clock.now()
    const verified = await checkHealth(plan, report, {
      client,
      clock: runner.clock,
      signal: runner.signal,
      info: line => log.info(line),
      started
    })
    if (verified) timeline.add({ label: 'health check', start: checking, end: runner.clock.now() })
    if (dryRun) report.plannedWrites = showPlannedWrites(runner, dryRun.writes)
  } catch (error) {
    report.error = asActionError(error)
    if (error instanceof SpaceFailure) {
      report.after = error.runtime
      report.logs = { kind: error.logKind, lines: error.logs }
      await log.group(
        `${error.logKind === 'build' ? 'Build' : 'Run'} log, last ${error.logs.length} lines`,
        () => {
          if (error.logs.length) log.untrusted(error.logs.join('\n'))
          else log.info('(no log lines could be read)')
          return Promise.resolve()
        }
      )
    }
    if (error instanceof HubError && [401, 402, 403].includes(error.status)) {
      report.error = report.error.withAdvice(
        await explainRefusal(client, plan.spaceId, plan.operation, guarded.paid)
      )
    }
  } finally {
    if (report.waitedMs !== undefined || report.logs) report.timeline = timeline.segments(runner.clock.now())
    // The deployment's outcome and the pull request comment.
    await github?.finish(report)
    // The failure goes out first: nothing after it (outputs, the summary) may hide it by throwing.
    if (report.error) runner.setFailed(report.error.describe())
    let unpublished: ActionError | undefined
    try {
      publish(runner, report)
    } catch (error) {
      unpublished = asActionError(error)
    }
    await runner.appendSummary(renderSummary(report))
    await client.close()
    // When the earlier publish failed, that is the failure already reported: one failure, one annotation.
    if (unpublished && !report.error) runner.setFailed(unpublished.describe())
  }
}

/** Flavor, allowed list and price ceiling, before any write. */
async function guard(runner: Runner, spaces: SpacesApi, plan: Plan, report: Report): Promise<Guarded> {
  const guarded = await guardFlavor(spaces, plan, text => runner.log.warn(text))
  if (guarded.flavor && guarded.price !== null) {
    report.price = { flavor: guarded.flavor, usdPerHour: guarded.price }
    runner.log.info(
      `${guarded.flavor} costs ${usd(guarded.price)}/hour, billed per minute while it starts or runs.`
    )
  }
  return guarded
}

/**
 * One runtime read before any change. Outputs and teardown state go out before anything can fail or hang, so a later
 * step or the post step can clean up.
 */
async function observe(
  runner: Runner,
  spaces: SpacesApi,
  plan: Plan,
  report: Report,
  guarded: Guarded
): Promise<{ before: Runtime | undefined; journal: TeardownJournal | undefined }> {
  const before = await readBefore(spaces, plan)
  if (before) {
    report.before = before
    report.appUrl = await appUrl(spaces, plan.spaceId, before)
  }
  publish(runner, report)
  const { creates } = OPERATIONS[plan.operation]
  if (plan.teardown === 'delete' && before) {
    runner.log.warn(
      creates
        ? `teardown: delete will not delete ${plan.spaceId}: it existed before this step, and the post step deletes ` +
            'only a Space this step created. To delete it, add an `operation: delete` step (in a cleanup job).'
        : `teardown: delete will delete ${plan.spaceId} at the end of the job, and it existed before this step.`
    )
  }
  if (plan.teardown === 'none' || plan.dryRun) return { before, journal: undefined }
  // The journal saves the state now, and again around each write the teardown must know about.
  const journal = new TeardownJournal(
    state => saveTeardown(runner.state, state),
    teardownState(plan.spaceId, plan.endpoint, plan.teardown, before, {
      ...guardedTeardown(plan, guarded, runner.clock.now()),
      ...(creates ? { created: 'no' as const } : {})
    }),
    () => runner.clock.now()
  )
  return { before, journal }
}

async function operate(
  runner: Runner,
  spaces: SpacesApi,
  plan: Plan,
  report: Report,
  guarded: Guarded,
  before: Runtime | undefined,
  journal: TeardownJournal | undefined,
  watch: WaitWatcher
): Promise<void> {
  const { log } = runner
  const sleep = safetySleep(plan, guarded)
  if (sleep) {
    log.info(
      `Setting a safety sleep time of ${formatDuration(sleep)} on ${requestedHardware(plan) ?? ''}: if the runner dies ` +
        'before the post step, the Hub stops billing once the Space is idle. The post step puts the old one back.'
    )
  }
  const result = await runOperation(
    {
      plan: sleep ? withSleep(plan, sleep) : plan,
      spaces,
      clock: runner.clock,
      random: runner.random,
      signal: runner.signal,
      log,
      env: runner.env,
      publish: partial => {
        Object.assign(report, partial)
        publish(runner, report)
      },
      ...(journal ? { track: journal.track.bind(journal) } : {}),
      watch
    },
    before
  )
  recordResult(report, result)
  log.info(result.summary)
}

/** The live log's groups and lines; every line is Space text, so it goes through the untrusted guard. */
function liveLogSink(log: Runner['log']): LogSink {
  return {
    group: title => log.startGroup(title),
    endGroup: () => log.endGroup(),
    line: text => log.untrusted(text)
  }
}

function gitHubIO(runner: Runner): GitHubIO {
  const { log } = runner
  return {
    info: text => log.info(text),
    warn: text => log.warn(text),
    notice: text => log.notice(text),
    setOutput: (name, value) => runner.setOutput(name, value),
    state: runner.state
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

function showPlannedWrites(runner: Runner, writes: PlannedWrite[]): PlannedWrite[] {
  runner.log.info(
    writes.length ? `Dry run: ${writes.length} write(s) would be sent:` : 'Dry run: nothing would be written.'
  )
  for (const write of writes) {
    runner.log.info(
      `  ${write.method} ${write.path}${write.body === undefined ? '' : ` ${JSON.stringify(write.body)}`}`
    )
  }
  return writes
}

/** Writes the outputs; a runner whose output file is missing is a failure of its own, with what to check. */
function publish(runner: Runner, report: Report): void {
  try {
    for (const [name, value] of Object.entries(outputs(report))) runner.setOutput(name, value)
  } catch (error) {
    throw new ActionError(
      'bad-input',
      `Could not write the step outputs: ${error instanceof Error ? error.message : String(error)}`,
      'GITHUB_OUTPUT must name a writable file, as on a GitHub runner.'
    )
  }
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
