"use strict";
exports.id = 230;
exports.ids = [230];
exports.modules = {

/***/ 3230:
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
// EXTERNAL MODULE: ./src/hub/content.ts
var hub_content = __webpack_require__(8626);
// EXTERNAL MODULE: ./src/parallel.ts
var parallel = __webpack_require__(3716);
;// CONCATENATED MODULE: ./src/operations/upload/base64.ts
/**
 * Base64 written straight into a buffer. Node's encoder returns a string, which the commit body then copies into its
 * chunk; this one writes the chunk's bytes itself, twelve bits per table look-up, and measured about five times as
 * fast as `toString('base64')` on Node 20 and 24 (tools/bench/upload.ts shows what that does to an upload).
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const PAD = 61; // '='
/** For each 12-bit value, its first and its second base64 character. */
const FIRST = new Uint8Array(4096);
const SECOND = new Uint8Array(4096);
for (let i = 0; i < 4096; i++) {
    FIRST[i] = ALPHABET.charCodeAt(i >> 6);
    SECOND[i] = ALPHABET.charCodeAt(i & 63);
}
/**
 * Writes the base64 of `source[start, end)` into `target` from `at` and returns where it stopped. A length that is
 * not a multiple of 3 ends in padding, so only the last piece of a stream may have one. `target` must have room for
 * 4 bytes per 3 (or fewer) of the source.
 */
function encodeBase64Into(source, start, end, target, at) {
    const whole = end - ((end - start) % 3);
    let out = at;
    for (let i = start; i < whole; i += 3) {
        const bits = (source[i] << 16) | (source[i + 1] << 8) | source[i + 2];
        const high = bits >>> 12;
        const low = bits & 4095;
        target[out] = FIRST[high];
        target[out + 1] = SECOND[high];
        target[out + 2] = FIRST[low];
        target[out + 3] = SECOND[low];
        out += 4;
    }
    const left = end - whole;
    if (left) {
        const bits = (source[whole] << 16) | (left === 2 ? source[whole + 1] << 8 : 0);
        target[out] = FIRST[bits >>> 12];
        target[out + 1] = SECOND[bits >>> 12];
        target[out + 2] = left === 2 ? FIRST[bits & 4095] : PAD;
        target[out + 3] = PAD;
        out += 4;
    }
    return out;
}

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







/** Files of one folder looked at (lstat) at once. */
const WALK_LANES = 16;
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
        const named = entries.map(entry => {
            const absolute = external_node_path_default().join(dir, entry.name);
            const relative = external_node_path_default().relative(root, absolute).split((external_node_path_default()).sep).join('/');
            return {
                entry,
                absolute,
                relative,
                ignored: isIgnored(entry.isDirectory() ? `${relative}/` : relative)
            };
        });
        // The folder's files are looked at together (the walk would otherwise wait on each in turn), in folder order.
        const stats = await (0,parallel/* mapInParallel */._)(named, WALK_LANES, ({ entry, absolute, relative, ignored }) => entry.isFile() && !ignored
            ? (0,promises_.lstat)(absolute).catch((error) => {
                throw unreadable(relative, error);
            })
            : Promise.resolve(undefined));
        for (const [i, { entry, absolute, relative, ignored }] of named.entries()) {
            present.add(prefix + relative);
            if (entry.isDirectory()) {
                if (ignored)
                    presentFolders.push(`${prefix}${relative}/`);
                else
                    await visit(absolute);
            }
            else if (ignored) {
                continue;
            }
            else if (entry.isSymbolicLink()) {
                warn(`Skipped ${relative}: symbolic links are not followed.`);
            }
            else if (entry.isFile()) {
                const found = stats[i];
                if (!found?.isFile())
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
/**
 * The size of one read: a 5 MiB file is a few turns of the event loop, not the eighty of a stream's default, and a
 * multiple of 3 so that every piece but the last encodes to base64 on its own.
 */
const READ_CHUNK_BYTES = 3 * 256 * 1024;
/**
 * The file from a checked descriptor, in pieces of `buffer.length` bytes (the last may be shorter), each read into
 * `buffer` from its start: a piece is valid until the next one is asked for. A file that shrinks is refused.
 */
async function* pieces(file, buffer) {
    const handle = await openChecked(file);
    try {
        for (let position = 0; position < file.size;) {
            const want = Math.min(buffer.length, file.size - position);
            for (let filled = 0; filled < want;) {
                const { bytesRead } = await handle.read(buffer, filled, want - filled, position + filled);
                if (!bytesRead)
                    throw (0,errors/* badInput */.AN)(`Refusing to upload ${file.path}: it shrank to ${position + filled} bytes while it was read.`, 'Do not change the folder while the step uploads it.');
                filled += bytesRead;
            }
            yield buffer.subarray(0, want);
            position += want;
        }
    }
    finally {
        await handle.close();
    }
}
/**
 * Read buffers of READ_CHUNK_BYTES, reused: a buffer per file read would leave a folder's worth of garbage, which
 * the collector frees late, and peak memory would follow the folder's size.
 */
const spareBuffers = [];
const SPARE_BUFFERS = 16;
function takeBuffer() {
    return spareBuffers.pop() ?? Buffer.allocUnsafe(READ_CHUNK_BYTES);
}
/** Hands back a buffer from `takeBuffer` that nothing uses any more. */
function giveBack(buffer) {
    if (spareBuffers.length < SPARE_BUFFERS)
        spareBuffers.push(buffer);
}
/** The whole of a file no larger than `buffer`, read into it. */
async function readSmall(file, buffer) {
    let bytes = buffer.subarray(0, 0);
    for await (const piece of pieces(file, buffer))
        bytes = piece;
    return bytes;
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
/** The first 512 bytes: what preupload needs (base64) to tell text from binary. */
async function sample(file) {
    const handle = await openChecked(file);
    try {
        const buffer = Buffer.alloc(Math.min(512, file.size));
        await handle.read(buffer, 0, buffer.length, 0);
        return buffer;
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
    const buffer = takeBuffer();
    try {
        for await (const piece of pieces(file, buffer))
            hash.update(piece);
    }
    finally {
        giveBack(buffer);
    }
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
    const samples = await (0,parallel/* mapInParallel */._)(files, HASH_LANES, sample);
    // The files the Hub will most likely send through LFS are hashed while it is asked, not after it answers.
    const likely = files.filter((file, i) => likelyLfs(file, samples[i]));
    const early = (0,parallel/* mapInParallel */._)(likely, HASH_LANES, file => sha256(file).catch(() => undefined));
    const pre = await content.preupload(spaceId, files.map((file, i) => ({
        path: file.path,
        sample: samples[i].toString('base64'),
        size: file.size
    })), attributes ? await readText(attributes) : undefined, createPr);
    const remote = new Map(pre.files.map(f => [f.path, f]));
    const earlyOids = new Map((await early).map((oid, i) => [likely[i], oid]));
    const plan = {
        inline: [],
        lfs: [],
        deletions: [],
        unchanged: 0,
        ignoredByRepo: 0,
        parentCommit: pre.commitOid
    };
    // The preupload answer decides which hash each file needs; files are hashed a few at a time, in folder order.
    const verdicts = await (0,parallel/* mapInParallel */._)(files, HASH_LANES, async (file) => {
        const verdict = remote.get(file.path);
        if (verdict?.shouldIgnore)
            return { kind: 'ignored' };
        if (verdict?.uploadMode === 'lfs') {
            const oid = earlyOids.get(file) ?? (await sha256(file));
            return oid === verdict.oid ? { kind: 'unchanged' } : { kind: 'lfs', oid };
        }
        const readme = file.path === 'README.md' ? await withSpaceFrontMatter(content, spaceId, file) : undefined;
        const inline = { kind: 'inline', ...(readme === undefined ? {} : { content: readme }) };
        // A path the Space lacks has no oid to compare with: the file goes inline unhashed.
        if (!verdict?.oid)
            return inline;
        const oid = readme === undefined ? await gitBlobSha1(file) : blobSha1(readme);
        return oid === verdict.oid ? { kind: 'unchanged' } : inline;
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
/** Where the Hub sends a file through LFS whatever its content (docs/hub-api.md §10.1: 10 MB). */
const LFS_SIZE = 10_000_000;
/**
 * Whether the Hub will most likely want `file` through LFS: it is large, or its first bytes hold a NUL, which text
 * never does. A wrong guess costs one hash, never a wrong upload: the Hub's answer decides.
 */
function likelyLfs(file, sample) {
    return file.size >= LFS_SIZE || sample.includes(0);
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
        await (0,parallel/* inParallel */.H)(pending, 4, async (object) => {
            const file = byOid.get(object.oid);
            if (!file || !object.upload)
                return;
            // One checked descriptor for every attempt: a retry re-reads the same file from its start.
            const handle = await openChecked(file);
            try {
                await content.lfsUpload(object.upload, file.size, () => handle.createReadStream({ start: 0, autoClose: false, highWaterMark: READ_CHUNK_BYTES }));
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
    async function* body() {
        try {
            yield* commitBody(plan, text);
        }
        catch (error) {
            unreadable = error;
            throw error;
        }
    }
    try {
        return await content.commit(spaceId, body, createPr);
    }
    catch (error) {
        throw unreadable ?? error;
    }
}
/** Chunks of the commit body handed to the socket: large writes, not one per line or per read. */
const BODY_CHUNK_BYTES = 1024 * 1024;
/** Inline files read ahead of the encoder: opening and reading the next ones hides behind encoding this one. */
const READ_AHEAD_FILES = 8;
/**
 * The NDJSON commit body, in chunks of a megabyte: file contents are read a few files ahead and base64-encoded
 * straight into the chunk being filled, so the socket gets a few large writes instead of thousands of small ones,
 * and memory holds the read-ahead and the chunks in flight, whatever the folder's size.
 */
async function* commitBody(plan, text) {
    const out = new Chunks();
    const header = {
        summary: text.summary,
        description: text.description,
        ...(plan.parentCommit ? { parentCommit: plan.parentCommit } : {})
    };
    yield* out.text(`${JSON.stringify({ key: 'header', value: header })}\n`);
    for await (const { file, bytes } of readAhead(plan.inline)) {
        yield* out.text('{"key":"file","value":{"content":"');
        if (bytes)
            yield* out.base64(bytes);
        else
            yield* streamBase64(out, file);
        yield* out.text(`","path":${JSON.stringify(file.path)},"encoding":"base64"}}\n`);
    }
    for (const { file, oid } of plan.lfs) {
        yield* out.text(`${JSON.stringify({ key: 'lfsFile', value: { path: file.path, algo: 'sha256', oid, size: file.size } })}\n`);
    }
    for (const path of plan.deletions)
        yield* out.text(`${JSON.stringify({ key: 'deletedFile', value: { path } })}\n`);
    yield* out.end();
}
/** A large file's base64, read a piece at a time: every piece but the last is a multiple of 3 bytes long. */
async function* streamBase64(out, file) {
    const buffer = takeBuffer();
    try {
        for await (const piece of pieces(file, buffer))
            yield* out.base64(piece);
    }
    finally {
        giveBack(buffer);
    }
}
/**
 * The inline files in order, each with its bytes when it is small enough to read whole (read READ_AHEAD_FILES files
 * ahead, into pooled buffers given back once the file is encoded), or without them when it must be streamed.
 */
async function* readAhead(inline) {
    // Started in order, taken in order: a queue.
    const reads = [];
    let started = 0;
    for (const [i, { file }] of inline.entries()) {
        for (; started < inline.length && started - i < READ_AHEAD_FILES; started++) {
            const read = readEntry(inline[started]);
            // Awaited in its turn; until then a failure must not count as unhandled.
            read.catch(() => undefined);
            reads.push(read);
        }
        const { bytes, buffer } = await reads.shift();
        try {
            yield { file, bytes };
        }
        finally {
            if (buffer)
                giveBack(buffer);
        }
    }
}
async function readEntry({ file, content }) {
    if (content !== undefined)
        return { bytes: Buffer.from(content) };
    if (file.size > READ_CHUNK_BYTES)
        return {};
    const buffer = takeBuffer();
    return { bytes: await readSmall(file, buffer), buffer };
}
/** Fills megabyte chunks with body text; each method yields the chunks it filled. */
class Chunks {
    chunk = Buffer.allocUnsafe(BODY_CHUNK_BYTES);
    used = 0;
    /** Any text (paths may be UTF-8): encoded, then copied in, split wherever a chunk ends. */
    *text(value) {
        const bytes = Buffer.from(value);
        for (let from = 0; from < bytes.length;) {
            const copied = bytes.copy(this.chunk, this.used, from);
            from += copied;
            yield* this.advance(copied);
        }
    }
    /** Base64 of `bytes`, encoded into the chunks; its length must be a multiple of 3 unless it ends a file. */
    *base64(bytes) {
        for (let from = 0; from < bytes.length;) {
            // Whole groups: 3 bytes in, 4 characters out.
            const groups = Math.min((BODY_CHUNK_BYTES - this.used) >> 2, Math.ceil((bytes.length - from) / 3));
            const to = Math.min(bytes.length, from + groups * 3);
            this.used = encodeBase64Into(bytes, from, to, this.chunk, this.used);
            from = to;
            if (BODY_CHUNK_BYTES - this.used < 4)
                yield* this.flush();
        }
    }
    *end() {
        if (this.used)
            yield this.chunk.subarray(0, this.used);
    }
    *advance(bytes) {
        this.used += bytes;
        if (this.used === BODY_CHUNK_BYTES)
            yield* this.flush();
    }
    *flush() {
        yield this.chunk.subarray(0, this.used);
        this.chunk = Buffer.allocUnsafe(BODY_CHUNK_BYTES);
        this.used = 0;
    }
}

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
    const content = new hub_content/* ContentApi */.I(spaces.client);
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
    const planned = await planCommit(content, options);
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
        const settled = await (0,context/* settle */.G9)(ctx, { kind: 'running', serving: head }, undefined, plan.wait ? await spaces.runtime(plan.spaceId) : before, since);
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
            send: writer => makeCommit(writer, options, planned, commitText(plan.commitMessage, ctx.env))
        });
    }
    catch (error) {
        if (error instanceof errors/* ActionError */.lZ && error.status === 412) {
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
    const settled = await (0,context/* settle */.G9)(ctx, { kind: 'commit', sha: made.commitOid }, baseline, first, landed);
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
//# sourceMappingURL=230.index.js.map