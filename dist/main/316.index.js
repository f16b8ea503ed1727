"use strict";
exports.id = 316;
exports.ids = [316];
exports.modules = {

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


/***/ })

};
;
//# sourceMappingURL=316.index.js.map