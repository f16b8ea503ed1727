"use strict";
exports.id = 499;
exports.ids = [499];
exports.modules = {

/***/ 5499:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runFleet: () => (/* binding */ runFleet)
});

// UNUSED EXPORTS: FLEET_CONCURRENCY, tearDownFleet

;// CONCATENATED MODULE: ./src/logger.ts
/** The same logger with `prefix` on each of its lines: the many-Spaces step names the Space on each. */
function prefixed(log, prefix) {
    return {
        info: line => log.info(prefix + line),
        warn: line => log.warn(prefix + line),
        debug: line => log.debug(prefix + line),
        error: line => log.error(prefix + line),
        notice: line => log.notice(prefix + line),
        untrusted: text => log.untrusted(text),
        group: (title, body) => log.group(prefix + title, body),
        startGroup: title => log.startGroup(prefix + title),
        endGroup: () => log.endGroup()
    };
}

// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
// EXTERNAL MODULE: ./src/guards/flavor-guard.ts + 1 modules
var flavor_guard = __webpack_require__(7016);
// EXTERNAL MODULE: ./src/hub/dry-run.ts
var dry_run = __webpack_require__(5850);
// EXTERNAL MODULE: ./src/hub/spaces.ts + 1 modules
var hub_spaces = __webpack_require__(5511);
// EXTERNAL MODULE: ./src/operations/index.ts
var operations = __webpack_require__(9446);
// EXTERNAL MODULE: ./src/parallel.ts
var parallel = __webpack_require__(3716);
// EXTERNAL MODULE: ./src/plan/duration.ts
var duration = __webpack_require__(2983);
// EXTERNAL MODULE: ./src/plan/names.ts
var names = __webpack_require__(2471);
// EXTERNAL MODULE: ./src/plan/plan.ts
var plan_plan = __webpack_require__(8720);
// EXTERNAL MODULE: ./src/plan/read-inputs.ts + 1 modules
var read_inputs = __webpack_require__(9087);
// EXTERNAL MODULE: ./src/plan/targets.ts
var plan_targets = __webpack_require__(1);
// EXTERNAL MODULE: ./src/report/report.ts
var report = __webpack_require__(8850);
// EXTERNAL MODULE: ./src/teardown/state.ts
var teardown_state = __webpack_require__(9865);
// EXTERNAL MODULE: ./src/steps/result.ts + 1 modules
var steps_result = __webpack_require__(5394);
// EXTERNAL MODULE: ./src/wait/readiness.ts
var readiness = __webpack_require__(5857);
;// CONCATENATED MODULE: ./src/steps/fleet.ts
/**
 * One step over many Spaces (`space-id` with several lines or owner/* patterns, for the operations the table marks
 * `fleet`). Patterns are resolved through the Spaces listing; then each Space gets the same plan, a few at a time,
 * through one client, so they share one rate-limit budget. Every Space is tried even when another fails, and the step
 * fails at the end naming each failure. Outputs: `spaces` (JSON, id → state); summary: one row per Space; teardown:
 * one state per Space, put back by the post step (tearDownFleet).
 */
















/** Spaces handled at once: enough to overlap their waits, few enough to be gentle with the Hub. */
const FLEET_CONCURRENCY = 4;
/** Below this many requests left per Space in flight, the next Space waits for the rate-limit window to reset. */
const RESERVE_PER_SPACE = 5;
/** The main step for several Spaces: sets the `spaces` output, the summary, and fails naming each failed Space. */
async function runFleet(runner, plan, targets) {
    const { log } = runner;
    const token = plan.credentials.kind === 'token' ? plan.credentials.token : undefined;
    const client = runner.hubClient(plan.endpoint, token);
    const outcomes = [];
    let failure;
    try {
        const guarded = await (0,flavor_guard/* guardFlavor */.GX)(new hub_spaces/* HubSpacesApi */.Jq(client), plan, text => log.warn(text));
        const ids = await resolveTargets(new hub_spaces/* HubSpacesApi */.Jq(client), targets, log);
        log.info(`${ids.length} Space(s): ${ids.join(', ')}.`);
        const sleep = (0,flavor_guard/* safetySleep */.yr)(plan, guarded);
        const extra = (0,flavor_guard/* guardedTeardown */.z8)(plan, guarded, runner.clock.now());
        const states = [];
        const work = {
            runner,
            plan: sleep ? (0,plan_plan/* withSleep */.CK)(plan, sleep) : plan,
            client,
            // Saved as each Space is read, before it is changed, so the post step can put back every Space touched.
            remember: (id, before) => {
                if (plan.teardown === 'none' || plan.dryRun)
                    return undefined;
                const index = states.length;
                const state = (0,teardown_state/* teardownState */.QY)(id, plan.endpoint, plan.teardown, before, extra);
                states.push(state);
                return new teardown_state/* TeardownJournal */.a_(saved => {
                    states[index] = saved;
                    (0,teardown_state/* saveFleetTeardown */.K)(runner.state, states);
                }, state);
            }
        };
        const slots = ids.map((id, index) => ({ id, index }));
        await (0,parallel/* inParallel */.H)(slots, FLEET_CONCURRENCY, async ({ id, index }) => {
            await paceForBudget(runner, client);
            outcomes[index] = await runOne(id, work);
        });
    }
    catch (error) {
        failure = (0,errors/* asActionError */.z6)(error);
    }
    finally {
        const done = outcomes.filter(Boolean);
        runner.setOutput(names/* Output */.k7.spaces, JSON.stringify(spacesOutput(plan, done)));
        await runner.appendSummary(renderFleetSummary(plan, done, failure));
        const failed = done.filter(outcome => outcome.error);
        if (failure)
            runner.setFailed(failure.describe());
        else if (failed.length) {
            runner.setFailed(`${failed.length} of ${done.length} Spaces failed:\n` +
                failed.map(o => `- ${o.id}: ${o.error?.describe() ?? ''}`).join('\n'));
        }
        await client.close();
    }
}
/** The listed ids, then each pattern's matches from the Spaces listing; repeats dropped. None at all is an error. */
async function resolveTargets(spaces, targets, log) {
    const ids = [...targets.ids];
    for (const pattern of targets.patterns) {
        const listed = await spaces.listSpaceIds(pattern.owner);
        const matched = listed.filter(id => (0,plan_targets/* nameMatches */.F)(pattern.name, id.slice(id.indexOf('/') + 1)));
        if (!matched.length)
            log.warn(`${pattern.text} matches no Space the token can see.`);
        for (const id of matched)
            if (!ids.includes(id))
                ids.push(id);
    }
    if (!ids.length) {
        throw new errors/* ActionError */.lZ('not-found', 'No Space matches `space-id`.', "Check the owner's spelling, and that the token can see its Spaces (private ones need a token of a member).");
    }
    return ids;
}
/** One Space, start to end; its failure is its outcome, never a throw, so the others go on. */
async function runOne(id, work) {
    const { runner, plan, client } = work;
    const { clock, signal } = runner;
    const dryRun = plan.dryRun ? new dry_run/* DryRunSpacesApi */.m(new hub_spaces/* HubSpacesApi */.Jq(client)) : undefined;
    const spaces = dryRun ?? new hub_spaces/* HubSpacesApi */.Jq(client);
    const outcome = { id };
    const log = prefixed(runner.log, `${id}: `);
    const info = (line) => log.info(line);
    try {
        const before = await spaces.runtime(id);
        outcome.before = before;
        const journal = work.remember(id, before);
        const started = clock.now();
        const result = await (0,operations/* runOperation */.x)({
            plan: { ...plan, spaceId: id },
            spaces,
            clock,
            random: runner.random,
            signal,
            log,
            env: runner.env,
            ...(journal ? { track: journal.track.bind(journal) } : {})
        }, before);
        (0,steps_result/* recordResult */.P)(outcome, result);
        info(result.summary);
        await (0,steps_result/* checkHealth */.N)(plan, outcome, { client, clock, signal, info, started });
    }
    catch (error) {
        outcome.error = (0,errors/* asActionError */.z6)(error);
        if (error instanceof readiness/* SpaceFailure */.x6)
            outcome.after = error.runtime;
        log.error(outcome.error.message);
    }
    if (dryRun) {
        outcome.plannedWrites = dryRun.writes;
        info(`dry run: ${dryRun.writes.length} write(s) would be sent.`);
        for (const w of dryRun.writes)
            info(`  ${describeWrite(w)}`);
    }
    return outcome;
}
/** Shares the one budget: when the window is nearly spent, the next Space waits for it to reset rather than a 429. */
async function paceForBudget(runner, client) {
    const limit = client.rateLimit;
    if (!limit || limit.remaining > FLEET_CONCURRENCY * RESERVE_PER_SPACE)
        return;
    const waitMs = limit.at + limit.resetSeconds * 1000 - runner.clock.now();
    if (waitMs <= 0)
        return;
    runner.log.info(`${limit.remaining} requests left in the Hub's rate-limit window: the next Space waits ${(0,duration/* formatDuration */.a)(Math.ceil(waitMs / 1000))} for it to reset.`);
    await runner.clock.sleep(waitMs + 1000, runner.signal);
}
/** The `spaces` output: id → what the Space looks like now, and why it failed (null when it did not). */
function spacesOutput(plan, outcomes) {
    return Object.fromEntries(outcomes.map(o => {
        const now = o.after ?? o.before;
        return [
            o.id,
            {
                stage: now?.stage ?? null,
                hardware: now?.hardware ?? null,
                requestedHardware: now?.requestedHardware ?? null,
                sleepTime: now ? (0,report/* sleepTimeOutput */.Iz)(now.sleepTime) : null,
                spaceUrl: (0,report/* spaceUrl */.SD)({ endpoint: plan.endpoint, spaceId: o.id }),
                appUrl: (now && (0,report/* appUrlFrom */.L3)(now)) ?? null,
                error: o.error?.message ?? null
            }
        ];
    }));
}
function renderFleetSummary(plan, outcomes, failure) {
    const failed = outcomes.filter(o => o.error).length;
    const status = failure || failed ? '❌' : '✅';
    const parts = [
        `<h3>${status} Hugging Face Spaces: ${(0,report/* code */.aY)(plan.operation)} on ${outcomes.length} Space(s)</h3>`,
        failed ? `<p>${failed} of ${outcomes.length} failed.</p>` : '',
        '<table>',
        '<tr><th align="left">Space</th><th align="left">Stage</th><th align="left">Hardware (requested → current)</th>' +
            '<th align="left">Sleep time</th><th align="left">Result</th></tr>',
        ...outcomes.map(o => {
            const now = o.after ?? o.before;
            const cells = [
                (0,report/* link */.nf)((0,report/* spaceUrl */.SD)({ endpoint: plan.endpoint, spaceId: o.id }), o.id),
                now ? (0,report/* code */.aY)(now.stage) : '—',
                now ? `${(0,report/* code */.aY)(now.requestedHardware ?? '—')} → ${(0,report/* code */.aY)(now.hardware ?? '—')}` : '—',
                (0,report/* escape */.ih)((0,report/* formatSleepTime */.Qd)(now?.sleepTime)),
                o.error ? `❌ ${(0,report/* escape */.ih)(o.error.message)}` : (0,report/* escape */.ih)(o.summary ?? '')
            ];
            return `<tr>${cells.map(cell => `<td>${cell}</td>`).join('')}</tr>`;
        }),
        '</table>',
        `<p>Teardown planned: ${(0,report/* code */.aY)(plan.teardown)}</p>`
    ];
    if (plan.dryRun) {
        parts.push('<p><strong>Dry run</strong>: no write was sent.</p>');
        for (const o of outcomes) {
            const writes = o.plannedWrites ?? [];
            parts.push(`<details><summary>${(0,report/* escape */.ih)(o.id)}: ${writes.length} write(s) would be sent</summary>`, `<pre>${writes.map(w => (0,report/* escape */.ih)(describeWrite(w))).join('\n')}</pre></details>`);
        }
    }
    if (failure)
        parts.push(`<p><strong>Error:</strong> ${(0,report/* escape */.ih)(failure.describe())}</p>`);
    return parts.filter(Boolean).join('\n') + '\n';
}
function describeWrite(write) {
    return `${write.method} ${write.path}${write.body === undefined ? '' : ` ${JSON.stringify(write.body)}`}`;
}
/**
 * The post step for several Spaces: each saved Space put back by `tearDown` (the one-Space teardown of
 * src/steps/post-step.ts), a few at a time; a Space that is gone is a warning, any other failure fails the step,
 * naming it. Returns false when the main step saved no fleet state.
 */
async function tearDownFleet(runner, tearDown, attempts) {
    const { log } = runner;
    let states;
    try {
        states = loadFleetTeardown(runner.state);
    }
    catch (error) {
        runner.setFailed(asActionError(error).describe());
        return true;
    }
    if (!states)
        return false;
    const first = states[0];
    if (!first) {
        log.info('No teardown to do.');
        return true;
    }
    const client = runner.hubClient(first.endpoint, readToken(runner.inputs), { maxAttempts: attempts });
    const failed = [];
    try {
        await inParallel(states, FLEET_CONCURRENCY, async (state) => {
            try {
                log.info(await tearDown(new HubSpacesApi(client), state, {
                    clock: runner.clock,
                    info: text => log.info(text),
                    warn: text => log.warn(text)
                }));
            }
            catch (error) {
                const problem = asActionError(error);
                if (problem.code === 'not-found')
                    log.warn(`${state.spaceId} is gone or not visible; nothing to tear down.`);
                else
                    failed.push(`- ${state.spaceId}: ${problem.describe()}`);
            }
        });
    }
    finally {
        await client.close();
    }
    if (failed.length) {
        runner.setFailed(`Teardown (${first.mode}) failed for ${failed.length} of ${states.length} Spaces:\n${failed.join('\n')}\n` +
            'They may still be running on paid hardware: check their settings pages.');
    }
    return true;
}


/***/ })

};
;
//# sourceMappingURL=499.index.js.map