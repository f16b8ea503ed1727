"use strict";
exports.id = 899;
exports.ids = [899];
exports.modules = {

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


/***/ })

};
;
//# sourceMappingURL=899.index.js.map