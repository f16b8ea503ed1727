export const id = 754;
export const ids = [754];
export const modules = {

/***/ 2754:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  commitText: () => (/* binding */ commitText),
  upload: () => (/* binding */ upload)
});

// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(7075);
// EXTERNAL MODULE: ./src/hub/spaces.ts + 1 modules
var spaces = __webpack_require__(5511);
;// CONCATENATED MODULE: ./src/hub/content.ts
/**
 * The Hub's content endpoints for uploading to a Space (docs/hub-api.md §10): preupload, Git LFS batch, upload
 * and verify, the NDJSON commit, the file tree and raw files.
 *
 * Why not `@huggingface/hub`'s `commit()`: it reads every inline (non-LFS) file whole and joins them, base64-encoded,
 * into one commit body in memory (1.3–1.6 GB RSS for 200 MB of text in our spike), where this action must keep memory
 * bounded; it also ignores preupload's `oid` and `shouldIgnore`, so it cannot skip unchanged files, and its lazy chunks
 * break ncc's licenses.txt. The protocol it would save us is these few calls.
 */



const LFS_TYPE = 'application/vnd.git-lfs+json';
/** PY sends 256 paths per preupload, JS 100, and SPEC allows 1000. */
const PREUPLOAD_BATCH = 250;
class ContentApi {
    client;
    constructor(client) {
        this.client = client;
    }
    /** Which files go inline and which through LFS, which the repo ignores, and the oids of those that exist. */
    async preupload(spaceId, files, gitAttributes, createPr) {
        const result = [];
        let commitOid = null;
        for (let start = 0; start < files.length; start += PREUPLOAD_BATCH) {
            const answer = object(await this.client.json({
                method: 'POST',
                path: (0,spaces/* spacePath */.Uw)(spaceId, '/preupload/main'),
                ...(createPr ? { query: { create_pr: '1' } } : {}),
                json: {
                    files: files.slice(start, start + PREUPLOAD_BATCH),
                    ...(gitAttributes ? { gitAttributes } : {})
                },
                retry: 'idempotent'
            }), 'preupload answer');
            commitOid = typeof answer.commitOid === 'string' ? answer.commitOid : commitOid;
            for (const entry of Array.isArray(answer.files) ? answer.files : []) {
                const file = entry;
                if (typeof file.path !== 'string')
                    continue;
                result.push({
                    path: file.path,
                    uploadMode: file.uploadMode === 'lfs' ? 'lfs' : 'regular',
                    shouldIgnore: file.shouldIgnore === true,
                    oid: typeof file.oid === 'string' ? file.oid : null
                });
            }
        }
        return { files: result, commitOid };
    }
    /** Asks where to upload LFS objects; objects the Hub already has come back without an upload action. */
    async lfsBatch(spaceId, objects, createPr) {
        const answer = object(await this.client.json({
            method: 'POST',
            path: (0,spaces/* repoPath */.qN)(spaceId, '.git/info/lfs/objects/batch'),
            headers: { accept: LFS_TYPE },
            contentType: LFS_TYPE,
            body: () => JSON.stringify({
                operation: 'upload',
                transfers: ['basic'],
                hash_algo: 'sha256',
                ...(createPr ? {} : { ref: { name: 'main' } }),
                objects
            }),
            retry: 'idempotent'
        }), 'LFS batch answer');
        return (Array.isArray(answer.objects) ? answer.objects : []).map(entry => {
            const item = entry;
            const actions = (item.actions ?? {});
            const error = item.error;
            return {
                oid: String(item.oid),
                size: Number(item.size),
                ...(lfsAction(actions.upload) ? { upload: lfsAction(actions.upload) } : {}),
                ...(lfsAction(actions.verify) ? { verify: lfsAction(actions.verify) } : {}),
                ...(error ? { error: typeof error.message === 'string' ? error.message : 'refused' } : {})
            };
        });
    }
    /** PUTs the content to the storage URL. Never with the Hub token: the URL carries its own authorization. */
    async lfsUpload(action, size, content) {
        await this.client.json({
            method: 'PUT',
            path: action.href,
            auth: false,
            headers: { ...action.header, 'content-length': String(size) },
            contentType: 'application/octet-stream',
            body: content,
            retry: 'idempotent',
            textOk: true
        });
    }
    async lfsVerify(action, oid, size) {
        await this.client.json({
            method: 'POST',
            path: action.href,
            headers: { ...action.header, accept: LFS_TYPE },
            contentType: LFS_TYPE,
            body: () => JSON.stringify({ oid, size }),
            retry: 'idempotent',
            textOk: true
        });
    }
    /**
     * One commit, its NDJSON body streamed line by line from `lines` (made afresh if the call is repeated).
     * With `parentCommit` the Hub refuses a commit on a head that moved, so a repeat cannot commit twice.
     */
    async commit(spaceId, lines, createPr) {
        const answer = object(await this.client.json({
            method: 'POST',
            path: (0,spaces/* spacePath */.Uw)(spaceId, '/commit/main'),
            ...(createPr ? { query: { create_pr: '1' } } : {}),
            contentType: 'application/x-ndjson',
            body: () => external_node_stream_.Readable.from(lines()),
            retry: 'unsent'
        }), 'commit answer');
        if (typeof answer.commitOid !== 'string')
            throw malformed('commit answer', answer);
        return {
            commitOid: answer.commitOid,
            commitUrl: typeof answer.commitUrl === 'string' ? answer.commitUrl : '',
            pullRequestUrl: typeof answer.pullRequestUrl === 'string' ? answer.pullRequestUrl : null
        };
    }
    /** Every file path under `folder` in the Space (recursive; follows the `Link: rel="next"` pages). */
    async listFiles(spaceId, folder) {
        const paths = [];
        const suffix = folder ? `/${folder.split('/').map(encodeURIComponent).join('/')}` : '';
        let next = `${(0,spaces/* spacePath */.Uw)(spaceId, `/tree/main${suffix}`)}?recursive=true`;
        while (next) {
            const page = await this.client.page({
                method: 'GET',
                path: next,
                retry: 'idempotent'
            });
            for (const entry of Array.isArray(page.body) ? page.body : []) {
                const item = entry;
                if (item.type === 'file' && typeof item.path === 'string')
                    paths.push(item.path);
            }
            next = page.next;
        }
        return paths;
    }
    /** A file's text at the head of main, or undefined when it does not exist. */
    async readText(spaceId, filePath) {
        try {
            const body = await this.client.json({
                method: 'GET',
                path: (0,spaces/* repoPath */.qN)(spaceId, `/resolve/main/${filePath.split('/').map(encodeURIComponent).join('/')}`),
                retry: 'idempotent',
                raw: true
            });
            return typeof body === 'string' ? body : '';
        }
        catch (error) {
            if (error instanceof errors/* ActionError */.lZ && error.status === 404)
                return undefined;
            throw error;
        }
    }
}
function lfsAction(value) {
    const action = value;
    if (!action || typeof action.href !== 'string')
        return undefined;
    return { href: action.href, header: (action.header ?? {}) };
}
function object(body, what) {
    if (typeof body !== 'object' || body === null || Array.isArray(body))
        throw malformed(what, body);
    return body;
}
function malformed(what, body) {
    return new errors/* ActionError */.lZ('bad-response', `The Hub answered with an unexpected ${what}: ${JSON.stringify(body)?.slice(0, 200)}`);
}

// EXTERNAL MODULE: ./src/operations/upload/commit.ts + 2 modules
var upload_commit = __webpack_require__(4912);
// EXTERNAL MODULE: ./src/operations/context.ts
var context = __webpack_require__(1137);
;// CONCATENATED MODULE: ./src/operations/upload/operation.ts
/**
 * upload: the folder as one commit (one rebuild), then, unless `wait: false` or `create-pr`, wait until the Space runs
 * that very commit: the previous build keeps answering RUNNING for a while, and the Space info's `sha` is the head
 * from the moment the commit lands, so neither proves anything (see `judgeCommit` in src/wait/readiness.ts).
 */




async function upload(ctx, before) {
    const { plan, spaces } = ctx;
    const content = new ContentApi(spaces.client);
    const options = {
        spaceId: plan.spaceId,
        folder: plan.folder,
        pathInRepo: plan.pathInRepo,
        ignore: plan.ignore,
        deletePatterns: plan.deletePatterns,
        createPr: plan.createPr,
        info: ctx.info,
        warn: ctx.warn
    };
    const since = ctx.clock.now();
    const planned = await (0,upload_commit/* planCommit */.bI)(content, options);
    ctx.info(describe(planned));
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
        const settled = await (0,context/* settle */.G9)(ctx, { kind: 'running', serving: head }, undefined, await spaces.runtime(plan.spaceId), since);
        return {
            ...settled,
            changed: false,
            summary,
            commit: { sha: head, url: '', prUrl: null, committed: false }
        };
    }
    if (spaces.dryRun) {
        spaces.dryRun.writes.push(...(planned.lfs.length
            ? [{ method: 'PUT', path: `${planned.lfs.length} LFS object(s) to the Hub's storage` }]
            : []), {
            method: 'POST',
            path: `/api/spaces/${plan.spaceId}/commit/main${plan.createPr ? '?create_pr=1' : ''}`,
            body: describe(planned)
        });
        return { after: before, changed: false, summary: 'Dry run: no commit was made.' };
    }
    // The baseline for the wait: an error stage seen now is not the new commit's.
    const baseline = plan.wait && !plan.createPr ? await spaces.runtime(plan.spaceId) : before;
    let made;
    try {
        made = await (0,upload_commit/* makeCommit */.mH)(content, options, planned, commitText(plan.commitMessage, process.env));
    }
    catch (error) {
        if (error instanceof errors/* ActionError */.lZ && error.status === 412) {
            error.addAdvice('Someone committed to the Space while this step was uploading: re-run the step.');
        }
        throw error;
    }
    ctx.info(`Committed ${made.commitOid.slice(0, 7)}: ${made.pullRequestUrl ?? made.commitUrl}`);
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
    const settled = await (0,context/* settle */.G9)(ctx, { kind: 'commit', sha: made.commitOid }, baseline, first, landed);
    const running = plan.wait ? ' and the Space runs it' : '';
    return { ...settled, changed: true, summary: `Committed ${made.commitOid.slice(0, 7)}${running}.`, commit };
}
function describe(planned) {
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

//# sourceMappingURL=754.index.js.map