"use strict";
exports.id = 983;
exports.ids = [983];
exports.modules = {

/***/ 6983:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   commitText: () => (/* binding */ commitText),
/* harmony export */   upload: () => (/* binding */ upload)
/* harmony export */ });
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3916);
/* harmony import */ var _hub_content_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8626);
/* harmony import */ var _commit_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4912);
/* harmony import */ var _context_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(1137);
/**
 * upload: the folder as one commit (one rebuild), then, unless `wait: false` or `create-pr`, wait until the Space runs
 * that very commit: the previous build keeps answering RUNNING for a while, and the Space info's `sha` is the head
 * from the moment the commit lands, so neither proves anything (see `judgeCommit` in src/wait/readiness.ts).
 */




async function upload(ctx, before) {
    const { plan, spaces } = ctx;
    const content = new _hub_content_js__WEBPACK_IMPORTED_MODULE_1__/* .ContentApi */ .I(spaces.client);
    const options = {
        spaceId: plan.spaceId,
        folder: plan.folder,
        pathInRepo: plan.pathInRepo,
        ignore: plan.ignore,
        deletePatterns: plan.deletePatterns,
        createPr: plan.createPr,
        log: ctx.log
    };
    const since = ctx.clock.now();
    const planned = await (0,_commit_js__WEBPACK_IMPORTED_MODULE_2__/* .planCommit */ .bI)(content, options);
    ctx.log.info(commitSummary(planned));
    const changes = planned.inline.length + planned.lfs.length + planned.deletions.length;
    const head = planned.parentCommit ?? '';
    if (!changes) {
        const summary = 'Nothing changed: no commit was made.';
        if (plan.createPr || !head)
            return {
                after: before,
                changed: false,
                summary,
                commit: { sha: head, url: '', prUrl: null, committed: false }
            };
        // No commit, so no build to expect: RUNNING will do, serving the head where the runtime names what it serves.
        // Without a wait nothing moved since the step read the runtime: that read is the answer, not another one.
        const settled = await (0,_context_js__WEBPACK_IMPORTED_MODULE_3__/* .settle */ .G9)(ctx, { kind: 'running', serving: head }, undefined, plan.wait ? await spaces.runtime(plan.spaceId) : before, since);
        return {
            ...settled,
            changed: false,
            summary,
            commit: { sha: head, url: '', prUrl: null, committed: false }
        };
    }
    // The baseline for the wait: an error stage seen now is not the new commit's.
    const baseline = plan.wait && !plan.createPr ? await spaces.runtime(plan.spaceId) : before;
    let answer;
    try {
        answer = await spaces.commit({
            spaceId: plan.spaceId,
            createPr: plan.createPr,
            lfsObjects: planned.lfs.length,
            description: commitSummary(planned),
            send: writer => (0,_commit_js__WEBPACK_IMPORTED_MODULE_2__/* .makeCommit */ .mH)(writer, options, planned, commitText(plan.commitMessage, ctx.env))
        });
    }
    catch (error) {
        if (error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ActionError */ .lZ && error.status === 412) {
            throw error.withAdvice('Someone committed to the Space while this step was uploading: re-run the step.');
        }
        throw error;
    }
    if (answer.planned)
        return { after: before, changed: false, summary: 'Dry run: no commit was made.' };
    const made = answer;
    ctx.log.info(`Committed ${made.commitOid.slice(0, 7)}: ${made.pullRequestUrl ?? made.commitUrl}`);
    const commit = { sha: made.commitOid, url: made.commitUrl, prUrl: made.pullRequestUrl, committed: true };
    ctx.publish?.({ commit });
    if (plan.createPr) {
        return {
            after: before,
            changed: true,
            summary: `Opened a pull request on the Space: ${made.pullRequestUrl ?? ''}`,
            commit
        };
    }
    const landed = ctx.clock.now();
    const first = plan.wait ? await spaces.runtime(plan.spaceId) : baseline;
    const settled = await (0,_context_js__WEBPACK_IMPORTED_MODULE_3__/* .settle */ .G9)(ctx, { kind: 'commit', sha: made.commitOid }, baseline, first, landed);
    const running = plan.wait ? ' and the Space runs it' : '';
    return { ...settled, changed: true, summary: `Committed ${made.commitOid.slice(0, 7)}${running}.`, commit };
}
function commitSummary(planned) {
    const parts = [
        `${planned.inline.length} file(s) inline`,
        `${planned.lfs.length} through LFS`,
        `${planned.deletions.length} deletion(s)`,
        `${planned.unchanged} unchanged`
    ];
    if (planned.ignoredByRepo)
        parts.push(`${planned.ignoredByRepo} ignored by the Space's .gitignore`);
    return `Upload: ${parts.join(', ')}.`;
}
/** The commit title names where it came from: the GitHub repository, commit and run. */
function commitText(message, env) {
    const repository = env.GITHUB_REPOSITORY;
    const run = repository && env.GITHUB_RUN_ID
        ? `${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${repository}/actions/runs/${env.GITHUB_RUN_ID}`
        : '';
    const source = repository ? `${repository}${env.GITHUB_SHA ? `@${env.GITHUB_SHA.slice(0, 7)}` : ''}` : '';
    return {
        summary: message || (source ? `Upload from ${source}` : 'Upload with hf-space-action'),
        description: run ? `Uploaded by ${run}` : ''
    };
}


/***/ })

};
;
//# sourceMappingURL=983.index.js.map