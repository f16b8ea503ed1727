/**
 * One step over many Spaces (`space-id` with several lines or owner/* patterns, for the operations the table marks
 * `fleet`). Patterns are resolved through the Spaces listing; then each Space gets the same plan, a few at a time,
 * through one client, so they share one rate-limit budget. Every Space is tried even when another fails, and the step
 * fails at the end naming each failure. Outputs: `spaces` (JSON, id → state); summary: one row per Space; teardown:
 * one state per Space, put back by the post step (tearDownFleet).
 */
import { prefixed } from '../logger.js'
import { ActionError, asActionError } from '../errors.js'
import { guardFlavor, guardedTeardown, safetySleep } from '../guards/flavor-guard.js'
import type { HubClient } from '../hub/client.js'
import { DryRunSpacesApi } from '../hub/dry-run.js'
import { HubSpacesApi, type PlannedWrite, type SpacesApi } from '../hub/spaces.js'
import type { Runtime } from '../hub/types.js'
import { runOperation } from '../operations/index.js'
import { inParallel } from '../parallel.js'
import { formatDuration } from '../plan/duration.js'
import { Output } from '../plan/names.js'
import { withSleep, type Plan } from '../plan/plan.js'
import { readToken } from '../plan/read-inputs.js'
import { nameMatches, type SpaceTargets } from '../plan/targets.js'
import {
  appUrlFrom,
  code,
  escape,
  formatSleepTime,
  link,
  sleepTimeOutput,
  spaceUrl
} from '../report/report.js'
import type { Logger } from '../logger.js'
import type { Runner } from '../runner.js'
import {
  loadFleetTeardown,
  saveFleetTeardown,
  TeardownJournal,
  teardownState,
  type TeardownState
} from '../teardown/state.js'
import type { TeardownHooks } from './post-step.js'
import { checkHealth, recordResult, type Recorded } from './result.js'
import { SpaceFailure } from '../wait/readiness.js'

/** Spaces handled at once: enough to overlap their waits, few enough to be gentle with the Hub. */
export const FLEET_CONCURRENCY = 4
/** Below this many requests left per Space in flight, the next Space waits for the rate-limit window to reset. */
const RESERVE_PER_SPACE = 5

interface SpaceOutcome extends Recorded {
  id: string
  before?: Runtime
  error?: ActionError
  plannedWrites?: PlannedWrite[]
}

/** The main step for several Spaces: sets the `spaces` output, the summary, and fails naming each failed Space. */
export async function runFleet(runner: Runner, plan: Plan, targets: SpaceTargets): Promise<void> {
  const { log } = runner
  const token = plan.credentials.kind === 'token' ? plan.credentials.token : undefined
  const client = runner.hubClient(plan.endpoint, token)
  const outcomes: SpaceOutcome[] = []
  let failure: ActionError | undefined
  try {
    const guarded = await guardFlavor(new HubSpacesApi(client), plan, text => log.warn(text))
    const ids = await resolveTargets(new HubSpacesApi(client), targets, log)
    log.info(`${ids.length} Space(s): ${ids.join(', ')}.`)
    const sleep = safetySleep(plan, guarded)
    const extra = guardedTeardown(plan, guarded, runner.clock.now())
    const states: TeardownState[] = []
    const work: FleetWork = {
      runner,
      plan: sleep ? withSleep(plan, sleep) : plan,
      client,
      // Saved as each Space is read, before it is changed, so the post step can put back every Space touched.
      remember: (id: string, before: Runtime) => {
        if (plan.teardown === 'none' || plan.dryRun) return undefined
        const index = states.length
        const state = teardownState(id, plan.endpoint, plan.teardown, before, extra)
        states.push(state)
        return new TeardownJournal(saved => {
          states[index] = saved
          saveFleetTeardown(runner.state, states)
        }, state)
      }
    }
    const slots = ids.map((id, index) => ({ id, index }))
    await inParallel(slots, FLEET_CONCURRENCY, async ({ id, index }) => {
      await paceForBudget(runner, client)
      outcomes[index] = await runOne(id, work)
    })
  } catch (error) {
    failure = asActionError(error)
  } finally {
    const done = outcomes.filter(Boolean)
    runner.setOutput(Output.spaces, JSON.stringify(spacesOutput(plan, done)))
    await runner.appendSummary(renderFleetSummary(plan, done, failure))
    const failed = done.filter(outcome => outcome.error)
    if (failure) runner.setFailed(failure.describe())
    else if (failed.length) {
      runner.setFailed(
        `${failed.length} of ${done.length} Spaces failed:\n` +
          failed.map(o => `- ${o.id}: ${o.error?.describe() ?? ''}`).join('\n')
      )
    }
    await client.close()
  }
}

/** The listed ids, then each pattern's matches from the Spaces listing; repeats dropped. None at all is an error. */
async function resolveTargets(spaces: SpacesApi, targets: SpaceTargets, log: Logger): Promise<string[]> {
  const ids = [...targets.ids]
  for (const pattern of targets.patterns) {
    const listed = await spaces.listSpaceIds(pattern.owner)
    const matched = listed.filter(id => nameMatches(pattern.name, id.slice(id.indexOf('/') + 1)))
    if (!matched.length) log.warn(`${pattern.text} matches no Space the token can see.`)
    for (const id of matched) if (!ids.includes(id)) ids.push(id)
  }
  if (!ids.length) {
    throw new ActionError(
      'not-found',
      'No Space matches `space-id`.',
      "Check the owner's spelling, and that the token can see its Spaces (private ones need a token of a member)."
    )
  }
  return ids
}

interface FleetWork {
  runner: Runner
  plan: Plan
  client: HubClient
  /** Records the Space's state before any change, and returns the journal of its writes (none without teardown). */
  remember: (id: string, before: Runtime) => TeardownJournal | undefined
}

/** One Space, start to end; its failure is its outcome, never a throw, so the others go on. */
async function runOne(id: string, work: FleetWork): Promise<SpaceOutcome> {
  const { runner, plan, client } = work
  const { clock, signal } = runner
  const dryRun = plan.dryRun ? new DryRunSpacesApi(new HubSpacesApi(client)) : undefined
  const spaces: SpacesApi = dryRun ?? new HubSpacesApi(client)
  const outcome: SpaceOutcome = { id }
  const log = prefixed(runner.log, `${id}: `)
  const info = (line: string): void => log.info(line)
  try {
    const before = await spaces.runtime(id)
    outcome.before = before
    const journal = work.remember(id, before)
    const started = clock.now()
    const result = await runOperation(
      {
        plan: { ...plan, spaceId: id },
        spaces,
        clock,
        random: runner.random,
        signal,
        log,
        env: runner.env,
        ...(journal ? { track: journal.track.bind(journal) } : {})
      },
      before
    )
    recordResult(outcome, result)
    info(result.summary)
    await checkHealth(plan, outcome, { client, clock, signal, info, started })
  } catch (error) {
    outcome.error = asActionError(error)
    if (error instanceof SpaceFailure) outcome.after = error.runtime
    log.error(outcome.error.message)
  }
  if (dryRun) {
    outcome.plannedWrites = dryRun.writes
    info(`dry run: ${dryRun.writes.length} write(s) would be sent.`)
    for (const w of dryRun.writes) info(`  ${describeWrite(w)}`)
  }
  return outcome
}

/** Shares the one budget: when the window is nearly spent, the next Space waits for it to reset rather than a 429. */
async function paceForBudget(runner: Runner, client: HubClient): Promise<void> {
  const limit = client.rateLimit
  if (!limit || limit.remaining > FLEET_CONCURRENCY * RESERVE_PER_SPACE) return
  const waitMs = limit.at + limit.resetSeconds * 1000 - runner.clock.now()
  if (waitMs <= 0) return
  runner.log.info(
    `${limit.remaining} requests left in the Hub's rate-limit window: the next Space waits ${formatDuration(Math.ceil(waitMs / 1000))} for it to reset.`
  )
  await runner.clock.sleep(waitMs + 1000, runner.signal)
}

/** The `spaces` output: id → what the Space looks like now, and why it failed (null when it did not). */
function spacesOutput(plan: Plan, outcomes: SpaceOutcome[]): Record<string, unknown> {
  return Object.fromEntries(
    outcomes.map(o => {
      const now = o.after ?? o.before
      return [
        o.id,
        {
          stage: now?.stage ?? null,
          hardware: now?.hardware ?? null,
          requestedHardware: now?.requestedHardware ?? null,
          sleepTime: now ? sleepTimeOutput(now.sleepTime) : null,
          spaceUrl: spaceUrl({ endpoint: plan.endpoint, spaceId: o.id }),
          appUrl: (now && appUrlFrom(now)) ?? null,
          error: o.error?.message ?? null
        }
      ]
    })
  )
}

function renderFleetSummary(plan: Plan, outcomes: SpaceOutcome[], failure: ActionError | undefined): string {
  const failed = outcomes.filter(o => o.error).length
  const status = failure || failed ? '❌' : '✅'
  const parts = [
    `<h3>${status} Hugging Face Spaces: ${code(plan.operation)} on ${outcomes.length} Space(s)</h3>`,
    failed ? `<p>${failed} of ${outcomes.length} failed.</p>` : '',
    '<table>',
    '<tr><th align="left">Space</th><th align="left">Stage</th><th align="left">Hardware (requested → current)</th>' +
      '<th align="left">Sleep time</th><th align="left">Result</th></tr>',
    ...outcomes.map(o => {
      const now = o.after ?? o.before
      const cells = [
        link(spaceUrl({ endpoint: plan.endpoint, spaceId: o.id }), o.id),
        now ? code(now.stage) : '—',
        now ? `${code(now.requestedHardware ?? '—')} → ${code(now.hardware ?? '—')}` : '—',
        escape(formatSleepTime(now?.sleepTime)),
        o.error ? `❌ ${escape(o.error.message)}` : escape(o.summary ?? '')
      ]
      return `<tr>${cells.map(cell => `<td>${cell}</td>`).join('')}</tr>`
    }),
    '</table>',
    `<p>Teardown planned: ${code(plan.teardown)}</p>`
  ]
  if (plan.dryRun) {
    parts.push('<p><strong>Dry run</strong>: no write was sent.</p>')
    for (const o of outcomes) {
      const writes = o.plannedWrites ?? []
      parts.push(
        `<details><summary>${escape(o.id)}: ${writes.length} write(s) would be sent</summary>`,
        `<pre>${writes.map(w => escape(describeWrite(w))).join('\n')}</pre></details>`
      )
    }
  }
  if (failure) parts.push(`<p><strong>Error:</strong> ${escape(failure.describe())}</p>`)
  return parts.filter(Boolean).join('\n') + '\n'
}

function describeWrite(write: PlannedWrite): string {
  return `${write.method} ${write.path}${write.body === undefined ? '' : ` ${JSON.stringify(write.body)}`}`
}

/**
 * The post step for several Spaces: each saved Space put back by `tearDown` (the one-Space teardown of
 * src/steps/post-step.ts), a few at a time; a Space that is gone is a warning, any other failure fails the step,
 * naming it. Returns false when the main step saved no fleet state.
 */
export async function tearDownFleet(
  runner: Runner,
  tearDown: (spaces: SpacesApi, state: TeardownState, hooks: TeardownHooks) => Promise<string>,
  attempts: number
): Promise<boolean> {
  const { log } = runner
  let states: TeardownState[] | undefined
  try {
    states = loadFleetTeardown(runner.state)
  } catch (error) {
    runner.setFailed(asActionError(error).describe())
    return true
  }
  if (!states) return false
  const first = states[0]
  if (!first) {
    log.info('No teardown to do.')
    return true
  }
  const client = runner.hubClient(first.endpoint, readToken(runner.inputs), { maxAttempts: attempts })
  const failed: string[] = []
  try {
    await inParallel(states, FLEET_CONCURRENCY, async state => {
      try {
        log.info(
          await tearDown(new HubSpacesApi(client), state, {
            clock: runner.clock,
            info: text => log.info(text),
            warn: text => log.warn(text)
          })
        )
      } catch (error) {
        const problem = asActionError(error)
        if (problem.code === 'not-found')
          log.warn(`${state.spaceId} is gone or not visible; nothing to tear down.`)
        else failed.push(`- ${state.spaceId}: ${problem.describe()}`)
      }
    })
  } finally {
    await client.close()
  }
  if (failed.length) {
    runner.setFailed(
      `Teardown (${first.mode}) failed for ${failed.length} of ${states.length} Spaces:\n${failed.join('\n')}\n` +
        'They may still be running on paid hardware: check their settings pages.'
    )
  }
  return true
}
