"use strict";
exports.id = 505;
exports.ids = [505,602];
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
//# sourceMappingURL=505.index.js.map