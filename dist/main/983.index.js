"use strict";
exports.id = 983;
exports.ids = [983];
exports.modules = {

/***/ 1158:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  HN: () => (/* binding */ inParallel),
  mH: () => (/* binding */ makeCommit),
  bI: () => (/* binding */ planCommit)
});

// UNUSED EXPORTS: commitLines

// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
// EXTERNAL MODULE: ./src/hub/errors.ts
var hub_errors = __webpack_require__(4668);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./node_modules/ignore/index.js
var ignore = __webpack_require__(298);
var ignore_default = /*#__PURE__*/__webpack_require__.n(ignore);
;// CONCATENATED MODULE: ./src/operations/upload/files.ts
/**
 * The local side of an upload: which files a folder holds (minus what is never uploaded), where each goes in the
 * repo, and streamed hashes (git blob SHA-1 and sha256) so large folders are never held in memory.
 *
 * Every read goes through `openChecked`: the file is opened without following a symbolic link and the opened
 * descriptor must be the very file the walk saw (device, inode, type, size), so a file swapped for a link (or for
 * another file) between the walk and the read is refused, never uploaded.
 */






/** Never uploaded, whatever the inputs say: git internals and the workflows of the GitHub repository. */
const ALWAYS_IGNORED = ['.git/', '.github/'];
/**
 * A matcher with .gitignore semantics (the `ignore` package, which follows git's own rules): later patterns override
 * earlier ones, `!` re-includes, a trailing `/` matches a folder (and so everything in it), a leading `/` anchors to
 * the root, `*.log` matches at any depth. Braces (`data/{old,new}.csv`) are expanded first: gitignore has none, but
 * the inputs have always accepted them.
 */
function patternMatcher(patterns) {
    const lines = patterns.flatMap(expandBraces).map(p => p.trim().replace(/^(!?)\.\//, '$1'));
    if (!lines.some(line => line && !line.startsWith('#')))
        return () => false;
    const matcher = ignore_default()({ allowRelativePaths: true }).add(lines);
    return repoPath => matcher.ignores(repoPath);
}
/** `a{b,c{d,e}}f` → abf, acdf, acef. A brace without a top-level comma stays as written. */
function expandBraces(pattern) {
    const open = pattern.indexOf('{');
    if (open < 0)
        return [pattern];
    let depth = 0;
    const commas = [];
    for (let i = open; i < pattern.length; i++) {
        const c = pattern[i];
        if (c === '{')
            depth++;
        else if (c === ',' && depth === 1)
            commas.push(i);
        else if (c === '}' && --depth === 0) {
            const head = pattern.slice(0, open);
            const tail = expandBraces(pattern.slice(i + 1));
            if (!commas.length)
                return tail.map(t => pattern.slice(0, i + 1) + t);
            const bounds = [open, ...commas, i];
            const options = bounds
                .slice(1)
                .flatMap((end, k) => expandBraces(pattern.slice((bounds[k] ?? 0) + 1, end)));
            return options.flatMap(option => tail.map(t => head + option + t));
        }
    }
    return [pattern];
}
/**
 * Every regular file under `folder`, minus ignored ones. `folder` itself may be a link to a folder; links inside it
 * are skipped with a warning, never followed.
 */
async function walkFolder(folder, pathInRepo, ignored, warn) {
    const info = await (0,promises_.stat)(folder).catch(() => undefined);
    if (!info?.isDirectory()) {
        throw (0,errors/* badInput */.AN)(`Input \`folder\` "${folder}" is not a folder.`, 'Check out the repository first, or fix the path.');
    }
    const root = await (0,promises_.realpath)(folder);
    const isIgnored = patternMatcher([...ALWAYS_IGNORED, ...ignored]);
    const files = [];
    const present = new Set();
    // Ignored folders are not walked (node_modules can be huge), but nothing under them is ever deleted either.
    const presentFolders = [];
    const prefix = pathInRepo ? `${pathInRepo.replace(/^\/+|\/+$/g, '')}/` : '';
    async function visit(dir) {
        const entries = await (0,promises_.readdir)(dir, { withFileTypes: true }).catch((error) => {
            throw unreadable(external_node_path_default().relative(root, dir) || '.', error);
        });
        entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        for (const entry of entries) {
            const absolute = external_node_path_default().join(dir, entry.name);
            const relative = external_node_path_default().relative(root, absolute).split((external_node_path_default()).sep).join('/');
            present.add(prefix + relative);
            if (entry.isDirectory()) {
                if (isIgnored(`${relative}/`))
                    presentFolders.push(`${prefix}${relative}/`);
                else
                    await visit(absolute);
            }
            else if (isIgnored(relative)) {
                continue;
            }
            else if (entry.isSymbolicLink()) {
                warn(`Skipped ${relative}: symbolic links are not followed.`);
            }
            else if (entry.isFile()) {
                const found = await (0,promises_.lstat)(absolute).catch((error) => {
                    throw unreadable(relative, error);
                });
                if (!found.isFile())
                    throw unreadable(relative, 'it changed while the folder was read');
                files.push({
                    source: absolute,
                    path: prefix + relative,
                    size: found.size,
                    id: { dev: found.dev, ino: found.ino }
                });
            }
        }
    }
    await visit(root);
    return {
        files,
        has: repoPath => present.has(repoPath) || presentFolders.some(folder => repoPath.startsWith(folder))
    };
}
function unreadable(relative, error) {
    const code = error?.code;
    const why = typeof error === 'string'
        ? error
        : code === 'EACCES' || code === 'EPERM'
            ? 'permission denied'
            : code === 'ELOOP'
                ? 'it became a symbolic link after the folder was read'
                : code === 'ENOENT'
                    ? 'it was removed while the step ran'
                    : error.message;
    return (0,errors/* badInput */.AN)(`Cannot read ${relative} in the upload folder: ${why}.`, 'Make the file readable by the runner, or leave it out with `ignore`.');
}
/**
 * Opens the file the walk saw, refusing a symbolic link (O_NOFOLLOW) and anything whose descriptor is not that same
 * regular file with that same size. The caller closes the handle.
 */
async function openChecked(file) {
    const handle = await (0,promises_.open)(file.source, external_node_fs_.constants.O_RDONLY | external_node_fs_.constants.O_NOFOLLOW).catch((error) => {
        throw unreadable(file.path, error);
    });
    try {
        const now = await handle.stat();
        const changed = !now.isFile()
            ? 'it is no longer a regular file'
            : file.id && (now.dev !== file.id.dev || now.ino !== file.id.ino)
                ? 'it was replaced by another file after the folder was read'
                : now.size !== file.size
                    ? `its size changed from ${file.size} to ${now.size} bytes after the folder was read`
                    : undefined;
        if (changed)
            throw (0,errors/* badInput */.AN)(`Refusing to upload ${file.path}: ${changed}.`, 'Do not change the folder while the step uploads it.');
        return handle;
    }
    catch (error) {
        await handle.close();
        throw error;
    }
}
/** The file's bytes as a stream, from a checked descriptor; the handle closes when the stream ends. */
async function readChecked(file, highWaterMark) {
    const handle = await openChecked(file);
    return handle.createReadStream({ autoClose: true, ...(highWaterMark ? { highWaterMark } : {}) });
}
/** The whole file as text (a `.gitattributes` or README: small files). */
async function readText(file) {
    const handle = await openChecked(file);
    try {
        return await handle.readFile('utf8');
    }
    finally {
        await handle.close();
    }
}
/** The first 512 bytes, base64: what preupload needs to tell text from binary. */
async function sample(file) {
    const handle = await openChecked(file);
    try {
        const buffer = Buffer.alloc(Math.min(512, file.size));
        await handle.read(buffer, 0, buffer.length, 0);
        return buffer.toString('base64');
    }
    finally {
        await handle.close();
    }
}
/** The git blob SHA-1 (the oid preupload reports for a regular file that exists). */
function gitBlobSha1(file) {
    return hashFile(file, 'sha1', `blob ${file.size}\0`);
}
/** The git blob SHA-1 of text held in memory (a README with front matter put back). */
function blobSha1(text) {
    const bytes = Buffer.from(text);
    return (0,external_node_crypto_.createHash)('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}
/** The sha256 (the LFS oid). */
function sha256(file) {
    return hashFile(file, 'sha256');
}
async function hashFile(file, algorithm, header = '') {
    const hash = (0,external_node_crypto_.createHash)(algorithm);
    if (header)
        hash.update(header);
    for await (const chunk of await readChecked(file))
        hash.update(chunk);
    return hash.digest('hex');
}

;// CONCATENATED MODULE: ./src/operations/upload/commit.ts
/**
 * Plans and makes the one commit that uploads a folder: preupload decides inline or LFS, unchanged files are skipped
 * by comparing hashes with the oids the Hub reports, remote files are deleted only where `delete` patterns allow, and
 * what the Space needs but the folder lacks (its `.gitattributes`, the README front matter) is kept. The commit body
 * is streamed, a file at a time, so memory stays bounded whatever the folder's size.
 */



/** Paths at the root of the Space that a mirror never deletes: the Space needs them and the folder may lack them. */
const PROTECTED = new Set(['.gitattributes', 'README.md']);
/**
 * Files read (sampled or hashed) at once: enough to keep the disk and the hash busy while one read waits; each lane
 * holds one stream buffer, so memory stays bounded whatever the folder's size.
 */
const HASH_LANES = 8;
const FRONT_MATTER = /^---\r?\n[\s\S]*?\r?\n---\r?\n/;
async function planCommit(content, options) {
    const { spaceId, pathInRepo, createPr } = options;
    const prefix = pathInRepo.replace(/^\/+|\/+$/g, '');
    const walk = await walkFolder(options.folder, prefix, options.ignore, text => options.log.warn(text));
    const { files } = walk;
    const attributes = files.find(f => f.path === '.gitattributes');
    const samples = await mapInParallel(files, HASH_LANES, async (file) => ({
        path: file.path,
        sample: await sample(file),
        size: file.size
    }));
    const pre = await content.preupload(spaceId, samples, attributes ? await readText(attributes) : undefined, createPr);
    const remote = new Map(pre.files.map(f => [f.path, f]));
    const plan = {
        inline: [],
        lfs: [],
        deletions: [],
        unchanged: 0,
        ignoredByRepo: 0,
        parentCommit: pre.commitOid
    };
    // The preupload answer decides which hash each file needs; files are hashed a few at a time, in folder order.
    const verdicts = await mapInParallel(files, HASH_LANES, async (file) => {
        const verdict = remote.get(file.path);
        if (verdict?.shouldIgnore)
            return { kind: 'ignored' };
        if (verdict?.uploadMode === 'lfs') {
            const oid = await sha256(file);
            return oid === verdict.oid ? { kind: 'unchanged' } : { kind: 'lfs', oid };
        }
        const readme = file.path === 'README.md' ? await withSpaceFrontMatter(content, spaceId, file) : undefined;
        const oid = readme === undefined ? await gitBlobSha1(file) : blobSha1(readme);
        if (oid === verdict?.oid)
            return { kind: 'unchanged' };
        return { kind: 'inline', ...(readme === undefined ? {} : { content: readme }) };
    });
    files.forEach((file, i) => {
        const verdict = verdicts[i];
        if (verdict?.kind === 'ignored')
            plan.ignoredByRepo++;
        else if (verdict?.kind === 'unchanged')
            plan.unchanged++;
        else if (verdict?.kind === 'lfs')
            plan.lfs.push({ file, oid: verdict.oid });
        else if (verdict?.kind === 'inline')
            plan.inline.push(verdict.content === undefined ? { file } : { file, content: verdict.content });
    });
    if (options.deletePatterns.length) {
        const deletable = patternMatcher(options.deletePatterns);
        for (const path of await listRemote(content, spaceId, prefix)) {
            const relative = prefix ? path.slice(prefix.length + 1) : path;
            // Whatever is in the folder stays, ignored or not: `delete` only removes what the folder lacks.
            if (!walk.has(path) && !PROTECTED.has(path) && deletable(relative))
                plan.deletions.push(path);
        }
    }
    return plan;
}
/** The remote files under `prefix`; none when `path-in-repo` does not exist in the Space yet. */
async function listRemote(content, spaceId, prefix) {
    try {
        return await content.listFiles(spaceId, prefix);
    }
    catch (error) {
        // The Space exists (preupload just answered): a 404 on the tree means the folder is not there yet.
        if (prefix && (0,hub_errors/* isNotFound */.c4)(error))
            return [];
        throw error;
    }
}
/**
 * A README without front matter would wipe the Space's configuration (sdk, title, …): keep the Space's own front
 * matter on top of it. Undefined when the file can go as it is.
 */
async function withSpaceFrontMatter(content, spaceId, file) {
    const local = await readText(file);
    if (FRONT_MATTER.test(local))
        return undefined;
    const remote = await content.readText(spaceId, 'README.md');
    const front = remote ? FRONT_MATTER.exec(remote)?.[0] : undefined;
    return front ? front + local : undefined;
}
/** Uploads the LFS objects (a few at a time), then sends the commit. */
async function makeCommit(content, options, plan, text) {
    const { spaceId, createPr } = options;
    if (plan.lfs.length) {
        const objects = await content.lfsBatch(spaceId, plan.lfs.map(({ oid, file }) => ({ oid, size: file.size })), createPr);
        const refused = objects.find(o => o.error);
        if (refused)
            throw new errors/* ActionError */.lZ('bad-request', `The Hub refused an LFS upload (${refused.oid}): ${refused.error ?? ''}`);
        const byOid = new Map(plan.lfs.map(entry => [entry.oid, entry.file]));
        const pending = objects.filter(o => o.upload);
        options.log.info(`Uploading ${pending.length} large or binary file(s) through Git LFS (${objects.length - pending.length} already stored).`);
        await inParallel(pending, 4, async (object) => {
            const file = byOid.get(object.oid);
            if (!file || !object.upload)
                return;
            // One checked descriptor for every attempt: a retry re-reads the same file from its start.
            const handle = await openChecked(file);
            try {
                await content.lfsUpload(object.upload, file.size, () => handle.createReadStream({ start: 0, autoClose: false }));
            }
            finally {
                await handle.close();
            }
            if (object.verify)
                await content.lfsVerify(object.verify, object.oid, file.size);
        });
    }
    // A file that fails its check while the body streams surfaces as a broken request: report the file instead.
    let unreadable;
    async function* lines() {
        try {
            yield* commitLines(plan, text);
        }
        catch (error) {
            unreadable = error;
            throw error;
        }
    }
    try {
        return await content.commit(spaceId, lines, createPr);
    }
    catch (error) {
        throw unreadable ?? error;
    }
}
/** Chunks of the commit body handed to the socket: large writes, not one per line or per read. */
const BODY_CHUNK_CHARS = 1024 * 1024;
/**
 * The NDJSON commit body, in chunks of about a megabyte; file contents are base64-encoded as they are read. Small
 * pieces (a line's head, a file's tail) are joined so the socket gets a few large writes instead of thousands of
 * small ones, each of which cost a turn of the stream machinery.
 */
async function* commitLines(plan, text) {
    let parts = [];
    let length = 0;
    for await (const part of commitPieces(plan, text)) {
        parts.push(part);
        length += part.length;
        if (length >= BODY_CHUNK_CHARS) {
            yield parts.join('');
            parts = [];
            length = 0;
        }
    }
    if (parts.length)
        yield parts.join('');
}
async function* commitPieces(plan, text) {
    const header = {
        summary: text.summary,
        description: text.description,
        ...(plan.parentCommit ? { parentCommit: plan.parentCommit } : {})
    };
    yield `${JSON.stringify({ key: 'header', value: header })}\n`;
    for (const { file, content } of plan.inline) {
        yield '{"key":"file","value":{"content":"';
        if (content !== undefined)
            yield Buffer.from(content).toString('base64');
        else
            yield* base64Of(file);
        yield `","path":${JSON.stringify(file.path)},"encoding":"base64"}}\n`;
    }
    for (const { file, oid } of plan.lfs) {
        yield `${JSON.stringify({ key: 'lfsFile', value: { path: file.path, algo: 'sha256', oid, size: file.size } })}\n`;
    }
    for (const path of plan.deletions)
        yield `${JSON.stringify({ key: 'deletedFile', value: { path } })}\n`;
}
/** Base64 of a file, streamed: bytes are carried over so every chunk but the last is a multiple of three. */
async function* base64Of(file) {
    let carry = Buffer.alloc(0);
    for await (const chunk of await readChecked(file, 3 * 64 * 1024)) {
        const bytes = carry.length ? Buffer.concat([carry, chunk]) : chunk;
        const whole = bytes.length - (bytes.length % 3);
        yield bytes.subarray(0, whole).toString('base64');
        carry = bytes.subarray(whole);
    }
    if (carry.length)
        yield carry.toString('base64');
}
/** Runs `work` on every item, at most `limit` at once. */
async function inParallel(items, limit, work) {
    let next = 0;
    const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
        while (next < items.length)
            await work(items[next++]);
    });
    await Promise.all(lanes);
}
/** `work` over every item, `limit` at a time, results in the items' order. */
async function mapInParallel(items, limit, work) {
    const results = new Array(items.length);
    const indexes = items.map((_, i) => i);
    await inParallel(indexes, limit, async (i) => {
        results[i] = await work(items[i]);
    });
    return results;
}


/***/ }),

/***/ 6983:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   commitText: () => (/* binding */ commitText),
/* harmony export */   upload: () => (/* binding */ upload)
/* harmony export */ });
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3916);
/* harmony import */ var _hub_content_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8626);
/* harmony import */ var _commit_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1158);
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