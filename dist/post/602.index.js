"use strict";
exports.id = 602;
exports.ids = [602];
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


/***/ })

};
;
//# sourceMappingURL=602.index.js.map