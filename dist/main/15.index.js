"use strict";
exports.id = 15;
exports.ids = [15,316,602,899,505];
exports.modules = {

/***/ 3602:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   deleteSecrets: () => (/* binding */ deleteSecrets),
/* harmony export */   deleteVariables: () => (/* binding */ deleteVariables),
/* harmony export */   finish: () => (/* binding */ finish),
/* harmony export */   setSecrets: () => (/* binding */ setSecrets),
/* harmony export */   setVariables: () => (/* binding */ setVariables)
/* harmony export */ });
/* harmony import */ var _context_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1137);

async function setVariables(ctx, before) {
    const { plan, spaces } = ctx;
    const since = ctx.clock.now();
    const current = await spaces.variables(plan.spaceId);
    const changed = plan.variables.filter(v => current.get(v.key)?.value !== v.value);
    const given = new Set(plan.variables.map(v => v.key));
    const removed = plan.prune ? [...current.keys()].filter(key => !given.has(key)) : [];
    for (const { key, value } of changed)
        await spaces.setVariable(plan.spaceId, key, value);
    for (const key of removed)
        await spaces.deleteVariable(plan.spaceId, key);
    const unchanged = plan.variables.length - changed.length;
    const summary = `Variables: ${list('set', changed.map(v => v.key))}${list('deleted', removed)}` + `${unchanged ? `${unchanged} already as asked.` : ''}`.trim();
    return finish(ctx, before, since, changed.length + removed.length, summary || 'Variables: nothing to change.');
}
/**
 * Sends every given secret (values cannot be read back to compare). With `onlyMissing`, for create and duplicate
 * re-run on an existing Space, only keys the Space lacks are sent, so re-running the same step changes nothing.
 */
async function setSecrets(ctx, before, onlyMissing = false) {
    const { plan, spaces } = ctx;
    const since = ctx.clock.now();
    const given = new Set(plan.secrets.map(s => s.key));
    const existing = plan.prune || onlyMissing ? await existingSecretKeys(ctx) : undefined;
    const removed = plan.prune && existing ? existing.filter(key => !given.has(key)) : [];
    const toSet = onlyMissing && existing ? plan.secrets.filter(s => !existing.includes(s.key)) : plan.secrets;
    for (const { key, value } of toSet)
        await spaces.setSecret(plan.spaceId, key, value);
    for (const key of removed)
        await spaces.deleteSecret(plan.spaceId, key);
    const kept = plan.secrets.length - toSet.length;
    const note = kept ? `${kept} already set, not sent again (use set-secrets to overwrite). ` : '';
    const summary = `Secrets: ${list('set', toSet.map(s => s.key))}${list('deleted', removed)}${note}`.trim();
    return finish(ctx, before, since, toSet.length + removed.length, summary);
}
/** The keys the Space has; undefined (with a warning) if the Hub will not list them (the endpoint is unrecorded). */
async function existingSecretKeys(ctx) {
    try {
        return await ctx.spaces.secretKeys(ctx.plan.spaceId);
    }
    catch (error) {
        if (ctx.plan.prune)
            throw error;
        ctx.log.warn(`Could not list the Space's secrets (${error instanceof Error ? error.message : String(error)}); sending all.`);
        return undefined;
    }
}
async function deleteSecrets(ctx, before) {
    const { plan, spaces } = ctx;
    const since = ctx.clock.now();
    // Deleting a missing secret is a harmless no-op on the Hub; the secret list itself is not a recorded endpoint.
    for (const key of plan.keys)
        await spaces.deleteSecret(plan.spaceId, key);
    return finish(ctx, before, since, plan.keys.length, `Secrets: ${list('deleted', plan.keys)}`.trim());
}
async function deleteVariables(ctx, before) {
    const { plan, spaces } = ctx;
    const since = ctx.clock.now();
    const current = await spaces.variables(plan.spaceId);
    const present = plan.keys.filter(key => current.has(key));
    for (const key of present)
        await spaces.deleteVariable(plan.spaceId, key);
    const absent = plan.keys.length - present.length;
    const summary = `Variables: ${list('deleted', present)}${absent ? `${absent} not there.` : ''}`.trim();
    return finish(ctx, before, since, present.length, summary);
}
/** After `changes` writes, wait for the Space to run again if the changes restarted it. */
async function finish(ctx, before, since, changes, summary) {
    if (!changes || !(0,_context_js__WEBPACK_IMPORTED_MODULE_0__/* .restartsOnChange */ .So)(before))
        return { after: before, changed: changes > 0, summary };
    const first = await ctx.spaces.runtime(ctx.plan.spaceId);
    const settled = await (0,_context_js__WEBPACK_IMPORTED_MODULE_0__/* .settle */ .G9)(ctx, { kind: 'running' }, before, first, since);
    return { ...settled, changed: true, summary };
}
/** "set A, B. " — key names only, never values. */
function list(verb, keys) {
    return keys.length ? `${verb} ${keys.join(', ')}. ` : '';
}


/***/ }),

/***/ 6316:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   FREE_SLEEP_WARNING: () => (/* binding */ FREE_SLEEP_WARNING),
/* harmony export */   requestHardware: () => (/* binding */ requestHardware),
/* harmony export */   sameSleepTime: () => (/* binding */ sameSleepTime),
/* harmony export */   setSleepTime: () => (/* binding */ setSleepTime)
/* harmony export */ });
/* harmony import */ var _plan_names_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2471);
/* harmony import */ var _report_report_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8850);
/* harmony import */ var _hub_types_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4970);
/* harmony import */ var _context_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(1137);
/** request-hardware and set-sleep-time. */




const FREE_SLEEP_WARNING = 'cpu-basic Spaces always sleep after 48 hours of inactivity; the Hub does not honour a custom sleep time on free hardware.';
async function requestHardware(ctx, before) {
    const { plan, spaces } = ctx;
    const flavor = plan.hardware;
    let sleep = plan.sleepSeconds;
    if (sleep !== undefined && flavor === _plan_names_js__WEBPACK_IMPORTED_MODULE_0__/* .FREE_FLAVOR */ .aG) {
        ctx.log.warn(`${FREE_SLEEP_WARNING} The sleep time is not sent.`);
        sleep = undefined;
    }
    const sleepToSet = sleep !== undefined && !sameSleepTime(before.sleepTime, sleep) ? sleep : undefined;
    if (before.requestedHardware === flavor) {
        // Already requested: never send it again, because a hardware request restarts the Space.
        const after = sleepToSet === undefined
            ? before
            : await (0,_context_js__WEBPACK_IMPORTED_MODULE_3__/* .tracked */ .rX)(ctx, { hardware: flavor, sleepTime: sleepToSet }, () => spaces.setSleepTime(plan.spaceId, sleepToSet));
        const changed = sleepToSet !== undefined;
        if (before.stage === 'RUNNING' && before.hardware === flavor) {
            return {
                after,
                changed,
                summary: `Already running on ${flavor}; not restarted.${sleepNote(sleepToSet)}`
            };
        }
        ctx.log.info(`${flavor} is already requested (stage ${before.stage}); waiting for it without a new request.`);
        const settled = await (0,_context_js__WEBPACK_IMPORTED_MODULE_3__/* .settle */ .G9)(ctx, { kind: 'running', hardware: flavor }, undefined, after, ctx.clock.now());
        return {
            ...settled,
            changed,
            summary: `Waited for the pending request of ${flavor}.${sleepNote(sleepToSet)}`
        };
    }
    const since = ctx.clock.now();
    ctx.log.info(`Requesting ${flavor} (was ${before.requestedHardware ?? 'none'}).${sleepNote(sleepToSet)}`);
    const first = await (0,_context_js__WEBPACK_IMPORTED_MODULE_3__/* .tracked */ .rX)(ctx, { hardware: flavor, ...(sleepToSet !== undefined ? { sleepTime: sleepToSet } : {}) }, () => spaces.requestHardware(plan.spaceId, flavor, sleepToSet));
    const settled = await (0,_context_js__WEBPACK_IMPORTED_MODULE_3__/* .settle */ .G9)(ctx, { kind: 'running', hardware: flavor }, before, first, since);
    return {
        ...settled,
        changed: true,
        summary: `Requested ${flavor}${plan.wait ? ` and it is running` : ''}.${sleepNote(sleepToSet)}`
    };
}
async function setSleepTime(ctx, before) {
    const { plan, spaces } = ctx;
    const seconds = plan.sleepSeconds;
    const flavor = before.requestedHardware ?? before.hardware;
    if (flavor === _plan_names_js__WEBPACK_IMPORTED_MODULE_0__/* .FREE_FLAVOR */ .aG)
        ctx.log.warn(FREE_SLEEP_WARNING);
    if (sameSleepTime(before.sleepTime, seconds)) {
        return {
            after: before,
            changed: false,
            summary: `Sleep time is already ${(0,_report_report_js__WEBPACK_IMPORTED_MODULE_1__/* .formatSleepTime */ .Qd)((0,_hub_types_js__WEBPACK_IMPORTED_MODULE_2__/* .sleepTimeAsRead */ .j7)(seconds))}.`
        };
    }
    // A sleep-time change does not restart the Space, so there is nothing to wait for.
    const after = await (0,_context_js__WEBPACK_IMPORTED_MODULE_3__/* .tracked */ .rX)(ctx, { sleepTime: seconds }, () => spaces.setSleepTime(plan.spaceId, seconds));
    return { after, changed: true, summary: `Sleep time set to ${(0,_report_report_js__WEBPACK_IMPORTED_MODULE_1__/* .formatSleepTime */ .Qd)((0,_hub_types_js__WEBPACK_IMPORTED_MODULE_2__/* .sleepTimeAsRead */ .j7)(seconds))}.` };
}
/** Whether the sleep time the Hub reports is the one to write. */
function sameSleepTime(current, wanted) {
    return current === (0,_hub_types_js__WEBPACK_IMPORTED_MODULE_2__/* .sleepTimeAsRead */ .j7)(wanted);
}
function sleepNote(seconds) {
    return seconds === undefined ? '' : ` Sleep time ${(0,_report_report_js__WEBPACK_IMPORTED_MODULE_1__/* .formatSleepTime */ .Qd)((0,_hub_types_js__WEBPACK_IMPORTED_MODULE_2__/* .sleepTimeAsRead */ .j7)(seconds))}.`;
}


/***/ }),

/***/ 6015:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createSpace: () => (/* binding */ createSpace),
/* harmony export */   deleteSpace: () => (/* binding */ deleteSpace),
/* harmony export */   duplicateSpace: () => (/* binding */ duplicateSpace)
/* harmony export */ });
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3916);
/* harmony import */ var _hub_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4668);
/* harmony import */ var _plan_names_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(2471);
/* harmony import */ var _config_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(3602);
/* harmony import */ var _context_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(1137);
/* harmony import */ var _hardware_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(6316);
/* harmony import */ var _storage_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(9899);
/* harmony import */ var _volumes_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(9505);
/**
 * create, duplicate and delete. An existing Space is not an error by default (`exist-ok`): the requested settings are
 * applied to it, so the same step can run on every push. Delete treats a Space that is already gone as done.
 */








async function createSpace(ctx, before) {
    const { plan, spaces } = ctx;
    if (before)
        return applyToExisting(ctx, before);
    const since = ctx.clock.now();
    try {
        const settings = newSpaceSettings(ctx);
        const url = await (0,_context_js__WEBPACK_IMPORTED_MODULE_4__/* .tracked */ .rX)(ctx, { created: true }, () => spaces.create(plan.spaceId, plan.sdk, settings));
        ctx.log.info(`Created ${url} (${plan.sdk}).`);
    }
    catch (error) {
        const existing = await existingAfterRefusal(ctx, error);
        if (existing)
            return applyToExisting(ctx, existing);
        if (error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ActionError */ .lZ && error.code === 'payment-required') {
            throw error.withAdvice('Static Spaces (sdk: static) are free on every plan.');
        }
        throw error;
    }
    return afterCreation(ctx, since, 'Created');
}
async function duplicateSpace(ctx, before) {
    const { plan, spaces } = ctx;
    const from = plan.fromSpace;
    if (before)
        return applyToExisting(ctx, before);
    const since = ctx.clock.now();
    try {
        const settings = newSpaceSettings(ctx);
        const url = await (0,_context_js__WEBPACK_IMPORTED_MODULE_4__/* .tracked */ .rX)(ctx, { created: true }, () => spaces.duplicate(from, plan.spaceId, settings));
        ctx.log.info(`Duplicated ${from} into ${url}.`);
    }
    catch (error) {
        const existing = await existingAfterRefusal(ctx, error);
        if (existing)
            return applyToExisting(ctx, existing);
        if (error instanceof _hub_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .HubError */ .Ik && error.code === 'not-found') {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ActionError */ .lZ('not-found', `The Space to copy, ${from}, does not exist, or the token cannot see it.`, 'Check `from-space`, and that the token can read it.', 404);
        }
        throw error;
    }
    return afterCreation(ctx, since, `Duplicated ${from} as`);
}
async function deleteSpace(ctx, before) {
    const { plan, spaces } = ctx;
    if (!before) {
        ctx.log.warn(`${plan.spaceId} does not exist (or the token cannot see it): nothing to delete.`);
        return { changed: false, summary: `${plan.spaceId} was already gone.` };
    }
    try {
        await spaces.delete(plan.spaceId);
    }
    catch (error) {
        if (!(error instanceof _hub_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .HubError */ .Ik && error.code === 'not-found'))
            throw error;
        ctx.log.warn(`${plan.spaceId} was deleted by someone else meanwhile.`);
    }
    return { changed: true, summary: `Deleted ${plan.spaceId}.` };
}
/** What the Hub takes at creation: the same settings a later step would set one by one, in one call. */
function newSpaceSettings(ctx) {
    const { plan } = ctx;
    let sleep = plan.sleepSeconds;
    if (sleep !== undefined && (plan.hardware ?? _plan_names_js__WEBPACK_IMPORTED_MODULE_2__/* .FREE_FLAVOR */ .aG) === _plan_names_js__WEBPACK_IMPORTED_MODULE_2__/* .FREE_FLAVOR */ .aG) {
        ctx.log.warn(`${_hardware_js__WEBPACK_IMPORTED_MODULE_5__.FREE_SLEEP_WARNING} The sleep time is not sent.`);
        sleep = undefined;
    }
    return {
        ...(plan.private !== undefined ? { private: plan.private } : {}),
        ...(plan.hardware ? { hardware: plan.hardware } : {}),
        ...(sleep !== undefined ? { sleepTimeSeconds: sleep } : {}),
        ...(plan.storage ? { storageTier: plan.storage } : {}),
        ...(plan.secrets.length ? { secrets: plan.secrets.map(({ key, value }) => ({ key, value })) } : {}),
        ...(plan.variables.length ? { variables: plan.variables.map(({ key, value }) => ({ key, value })) } : {}),
        ...(plan.volumes.length ? { volumes: plan.volumes } : {})
    };
}
/**
 * A refusal that may only mean "it exists": a 409 always, and with exist-ok a 401/402/403 too (a token may lack the
 * right to create yet have write access to an existing Space, as the Python client assumes). Returns its runtime.
 */
async function existingAfterRefusal(ctx, error) {
    if (!(error instanceof _hub_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .HubError */ .Ik))
        return undefined;
    const { status } = error;
    if (status !== 409 && !(ctx.plan.existOk && [401, 402, 403].includes(status)))
        return undefined;
    try {
        return await ctx.spaces.runtime(ctx.plan.spaceId);
    }
    catch {
        return undefined;
    }
}
async function afterCreation(ctx, since, verb) {
    const { plan, spaces } = ctx;
    const first = await spaces.runtime(plan.spaceId);
    const target = {
        kind: 'running',
        orNoAppFile: true,
        ...(plan.hardware ? { hardware: plan.hardware } : {})
    };
    const settled = await (0,_context_js__WEBPACK_IMPORTED_MODULE_4__/* .settle */ .G9)(ctx, target, undefined, first, since);
    const empty = settled.after.stage === 'NO_APP_FILE' ? ' It has no app file yet: upload one.' : '';
    return { ...settled, changed: true, created: true, summary: `${verb} ${plan.spaceId}.${empty}` };
}
async function applyToExisting(ctx, before) {
    const { plan } = ctx;
    if (!plan.existOk) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ActionError */ .lZ('bad-request', `${plan.spaceId} already exists.`, 'Set `exist-ok: true` to apply the settings to the existing Space, or choose another `space-id`.', 409);
    }
    ctx.log.info(`${plan.spaceId} already exists: applying the requested settings to it.`);
    await warnIfOtherSdk(ctx);
    // Each change is made without waiting; the step waits once at the end.
    const quiet = { ...ctx, plan: { ...plan, wait: false } };
    const since = ctx.clock.now();
    const steps = [];
    const { hardware, sleepSeconds, storage } = plan;
    if (hardware)
        steps.push(await (0,_hardware_js__WEBPACK_IMPORTED_MODULE_5__.requestHardware)({ ...quiet, plan: { ...quiet.plan, hardware } }, before));
    else if (sleepSeconds !== undefined)
        steps.push(await (0,_hardware_js__WEBPACK_IMPORTED_MODULE_5__.setSleepTime)({ ...quiet, plan: { ...quiet.plan, sleepSeconds } }, before));
    if (plan.variables.length)
        steps.push(await (0,_config_js__WEBPACK_IMPORTED_MODULE_3__.setVariables)(quiet, before));
    if (plan.secrets.length)
        steps.push(await (0,_config_js__WEBPACK_IMPORTED_MODULE_3__.setSecrets)(quiet, before, true));
    if (storage)
        steps.push(await (0,_storage_js__WEBPACK_IMPORTED_MODULE_6__.requestStorage)({ ...quiet, plan: { ...quiet.plan, storage } }, before));
    // Merged, never pruned: a re-run of create keeps volumes mounted by hand.
    if (plan.volumes.length)
        steps.push(await (0,_volumes_js__WEBPACK_IMPORTED_MODULE_7__.setVolumes)({ ...quiet, plan: { ...quiet.plan, prune: false } }, before));
    const changed = steps.some(step => step.changed);
    const summary = [`${plan.spaceId} already existed.`, ...steps.map(step => step.summary)].join(' ');
    if (!changed)
        return { after: before, changed: false, created: false, summary };
    const first = await ctx.spaces.runtime(plan.spaceId);
    const target = { kind: 'running', ...(plan.hardware ? { hardware: plan.hardware } : {}) };
    const settled = await (0,_context_js__WEBPACK_IMPORTED_MODULE_4__/* .settle */ .G9)(ctx, target, before, first, since);
    return { ...settled, changed: true, created: false, summary };
}
/** The action never changes a Space's SDK: say so when the input differs from the Space. */
async function warnIfOtherSdk(ctx) {
    const { plan } = ctx;
    if (!plan.sdk)
        return;
    const info = await ctx.spaces.info(plan.spaceId).catch(() => undefined);
    if (info?.sdk && info.sdk !== plan.sdk) {
        ctx.log.warn(`${plan.spaceId} is a ${info.sdk} Space; \`sdk: ${plan.sdk}\` was not applied (the action never changes a Space's SDK).`);
    }
}


/***/ }),

/***/ 9899:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   deleteStorage: () => (/* binding */ deleteStorage),
/* harmony export */   requestStorage: () => (/* binding */ requestStorage)
/* harmony export */ });
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3916);
/* harmony import */ var _hub_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4668);
/* harmony import */ var _plan_names_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(2471);
/* harmony import */ var _context_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(1137);
/**
 * request-storage and delete-storage. The Hub replaced persistent storage tiers by Storage Buckets mounted as volumes;
 * the calls are still sent (a Space may keep its old tier), and a refusal is explained with where to go instead.
 */




const VOLUMES_ADVICE = 'Persistent storage tiers were replaced by Storage Buckets mounted as volumes: create a bucket (hf buckets create) ' +
    'and mount it with `operation: set-volumes` and `volumes: hf://buckets/<owner>/<bucket>:/data` ' +
    '(https://huggingface.co/docs/hub/spaces-storage).';
async function requestStorage(ctx, before) {
    const tier = ctx.plan.storage;
    const current = before.storage;
    if (current === tier)
        return { after: before, changed: false, summary: `Storage is already ${tier}.` };
    if (current && _plan_names_js__WEBPACK_IMPORTED_MODULE_2__/* .STORAGE_TIERS */ .Mt.indexOf(current) > _plan_names_js__WEBPACK_IMPORTED_MODULE_2__/* .STORAGE_TIERS */ .Mt.indexOf(tier)) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ActionError */ .lZ('bad-input', `The Space has ${current} storage; a tier cannot be lowered to ${tier}.`, 'Run delete-storage first (its data is lost), then request-storage.');
    }
    const since = ctx.clock.now();
    const first = await refusedAsDiscontinued(() => ctx.spaces.requestStorage(ctx.plan.spaceId, tier));
    const settled = (0,_context_js__WEBPACK_IMPORTED_MODULE_3__/* .restartsOnChange */ .So)(before)
        ? await (0,_context_js__WEBPACK_IMPORTED_MODULE_3__/* .settle */ .G9)(ctx, { kind: 'running' }, before, first, since)
        : { after: first };
    return { ...settled, changed: true, summary: `Requested ${tier} persistent storage.` };
}
async function deleteStorage(ctx, before) {
    if (!before.storage)
        return { after: before, changed: false, summary: 'The Space has no persistent storage.' };
    const since = ctx.clock.now();
    const first = await refusedAsDiscontinued(() => ctx.spaces.deleteStorage(ctx.plan.spaceId));
    const settled = (0,_context_js__WEBPACK_IMPORTED_MODULE_3__/* .restartsOnChange */ .So)(before)
        ? await (0,_context_js__WEBPACK_IMPORTED_MODULE_3__/* .settle */ .G9)(ctx, { kind: 'running' }, before, first, since)
        : { after: first };
    return { ...settled, changed: true, summary: 'Deleted the persistent storage and its data.' };
}
async function refusedAsDiscontinued(call) {
    try {
        return await call();
    }
    catch (error) {
        if (error instanceof _hub_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .HubError */ .Ik && error.status === 400) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ActionError */ .lZ('bad-request', `The Hub refused the storage request: ${error.details.serverMessage ?? 'HTTP 400'}`, VOLUMES_ADVICE, 400);
        }
        throw error;
    }
}


/***/ }),

/***/ 9505:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   deleteVolumes: () => (/* binding */ deleteVolumes),
/* harmony export */   setVolumes: () => (/* binding */ setVolumes)
/* harmony export */ });
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3916);
/* harmony import */ var _hub_types_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4970);
/* harmony import */ var _plan_volumes_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(2844);
/* harmony import */ var _config_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(3602);
/**
 * set-volumes and delete-volumes (docs/hub-api.md §6.7). The Hub replaces the whole list on each PUT, so the
 * current list is read from the Space info first, the input merged into it by mount path (or, with `prune`, put in
 * its place), and nothing is sent when that changes nothing. A source the Hub shows masked (a private repository the
 * token cannot read) is never written back: the step fails and says how to keep it.
 */




async function setVolumes(ctx, before) {
    const { plan, spaces } = ctx;
    const since = ctx.clock.now();
    const current = await spaces.volumes(plan.spaceId);
    const wanted = plan.prune ? plan.volumes : merge(current, plan.volumes);
    const masked = wanted.filter(v => (0,_hub_types_js__WEBPACK_IMPORTED_MODULE_1__/* .isMaskedSource */ .d6)(v.source));
    if (masked.length) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ActionError */ .lZ('forbidden', `The Hub shows the source of ${masked.map(v => v.mountPath).join(', ')} masked (${masked[0]?.source ?? ''}): ` +
            'the token cannot read it, and writing the list back would replace it with the mask.', 'Use a token that can read that private repository or bucket, or list that mount path in `volumes` with its ' +
            'real source, or use `prune: true` to drop it.', 403);
    }
    if (sameVolumes(current, wanted)) {
        return { after: before, changed: false, summary: 'Volumes: already as asked.', volumes: current };
    }
    const mounts = new Set(wanted.map(v => v.mountPath));
    const removed = current.filter(v => !mounts.has(v.mountPath)).map(v => v.mountPath);
    const changed = wanted.filter(v => !current.some(c => same(c, v))).map(v => (0,_plan_volumes_js__WEBPACK_IMPORTED_MODULE_2__/* .formatVolume */ .Qt)(v));
    await spaces.setVolumes(plan.spaceId, wanted);
    const summary = `Volumes: mounted ${changed.join(', ')}.${removed.length ? ` Removed ${removed.join(', ')}.` : ''}`;
    return { ...(await (0,_config_js__WEBPACK_IMPORTED_MODULE_3__.finish)(ctx, before, since, 1, summary)), volumes: wanted };
}
async function deleteVolumes(ctx, before) {
    const { plan, spaces } = ctx;
    const since = ctx.clock.now();
    const current = await spaces.volumes(plan.spaceId);
    // The Hub answers 400 to a DELETE with nothing mounted: "no volumes" is already done.
    if (!current.length)
        return { after: before, changed: false, summary: 'Volumes: none mounted.', volumes: [] };
    await spaces.deleteVolumes(plan.spaceId);
    const summary = `Volumes: removed ${current.map(v => v.mountPath).join(', ')}.`;
    return { ...(await (0,_config_js__WEBPACK_IMPORTED_MODULE_3__.finish)(ctx, before, since, 1, summary)), volumes: [] };
}
/** The current list with each given volume in place of the one on its mount path, new mount paths at the end. */
function merge(current, given) {
    const byMount = new Map(given.map(v => [v.mountPath, v]));
    const kept = current.map(v => byMount.get(v.mountPath) ?? v);
    const mounted = new Set(current.map(v => v.mountPath));
    return [...kept, ...given.filter(v => !mounted.has(v.mountPath))];
}
function sameVolumes(a, b) {
    return a.length === b.length && b.every(v => a.some(c => same(c, v)));
}
/** Equal as mounted: repositories are always read-only, buckets read-write unless asked. */
function same(a, b) {
    const key = (v) => JSON.stringify([
        v.type,
        v.source,
        v.mountPath,
        v.revision ?? null,
        v.type === 'bucket' ? (v.readOnly ?? false) : true,
        v.path ?? ''
    ]);
    return key(a) === key(b);
}


/***/ })

};
;
//# sourceMappingURL=15.index.js.map