"use strict";
exports.id = 499;
exports.ids = [499];
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
// EXTERNAL MODULE: ./src/operations/upload/commit.ts + 1 modules
var commit = __webpack_require__(1158);
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
        await (0,commit/* inParallel */.HN)(slots, FLEET_CONCURRENCY, async ({ id, index }) => {
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