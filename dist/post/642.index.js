"use strict";
exports.id = 642;
exports.ids = [642];
exports.modules = {

/***/ 1642:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   pause: () => (/* binding */ pause),
/* harmony export */   readOnly: () => (/* binding */ readOnly),
/* harmony export */   restart: () => (/* binding */ restart),
/* harmony export */   waitRunning: () => (/* binding */ waitRunning)
/* harmony export */ });
/* harmony import */ var _context_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1137);

async function pause(ctx, before) {
    if (before.stage === 'PAUSED')
        return { after: before, changed: false, summary: 'Already paused.' };
    const since = ctx.clock.now();
    const first = await ctx.spaces.pause(ctx.plan.spaceId);
    const settled = await (0,_context_js__WEBPACK_IMPORTED_MODULE_0__/* .settle */ .G9)(ctx, { kind: 'paused' }, before, first, since);
    return { ...settled, changed: true, summary: 'Paused; billing for its hardware has stopped.' };
}
async function restart(ctx, before) {
    const { plan } = ctx;
    const since = ctx.clock.now();
    const first = await ctx.spaces.restart(plan.spaceId, plan.factoryReboot);
    const settled = await (0,_context_js__WEBPACK_IMPORTED_MODULE_0__/* .settle */ .G9)(ctx, { kind: 'running' }, before, first, since);
    const what = plan.factoryReboot ? 'Factory rebuild' : 'Restart';
    return {
        ...settled,
        changed: true,
        summary: `${what} requested${plan.wait ? ' and the Space is running again' : ''}.`
    };
}
/**
 * Waits until RUNNING; a sleeping Space is woken (that needs a token). With `sha`, until that commit runs, by the
 * same evidence as upload; the window for its build to show counts from the start of the wait, the earliest moment
 * this step can observe anything.
 */
async function waitRunning(ctx, before) {
    const sha = ctx.plan.sha;
    const target = sha ? { kind: 'commit', sha } : { kind: 'running' };
    const settled = await (0,_context_js__WEBPACK_IMPORTED_MODULE_0__/* .settle */ .G9)(ctx, target, undefined, before, ctx.clock.now());
    return {
        ...settled,
        changed: false,
        summary: ctx.plan.wait ? 'The Space is running.' : 'Read the runtime.'
    };
}
function readOnly(_ctx, before) {
    return Promise.resolve({ after: before, changed: false, summary: `Stage ${before.stage}.` });
}


/***/ })

};
;
//# sourceMappingURL=642.index.js.map