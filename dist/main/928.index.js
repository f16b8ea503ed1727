"use strict";
exports.id = 928;
exports.ids = [928];
exports.modules = {

/***/ 9928:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  GitHubSession: () => (/* binding */ GitHubSession),
  skipNotice: () => (/* binding */ skipNotice)
});

// EXTERNAL MODULE: ./src/plan/names.ts
var names = __webpack_require__(2471);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./src/report/report.ts
var report_report = __webpack_require__(8850);
;// CONCATENATED MODULE: ./src/report/pr-comment.ts
/**
 * The sticky pull request comment: one per Space, found again by a hidden marker, and only rewritten when its text
 * changes (so it holds nothing that changes by itself, such as times). Space text (the error, the log tail) goes in
 * a fenced block longer than any backtick run inside it, so it cannot close the fence or turn into Markdown.
 */


/** GitHub refuses comments over 65,536 characters; keep far below. */
const MAX_COMMENT = 60_000;
const LOG_LINES = 40;
const LINE_CHARS = 500;
/** Names the Space without showing it (a private Space's name stays out of the public page source). */
function commentMarker(spaceId) {
    const hash = (0,external_node_crypto_.createHash)('sha256').update(spaceId).digest('hex').slice(0, 16);
    return `<!-- hf-space-action:space=${hash} -->`;
}
function commentFacts(report, runUrl, commit) {
    const now = report.after ?? report.before;
    const state = report.error
        ? 'failed'
        : now?.stage === 'RUNNING'
            ? 'ready'
            : now?.stage === 'PAUSED'
                ? 'paused'
                : now
                    ? 'done'
                    : 'deleted';
    return {
        state,
        spaceId: report.plan.spaceId,
        spaceUrl: (0,report_report/* spaceUrl */.SD)(report.plan),
        appUrl: state === 'ready' ? report.appUrl : undefined,
        stage: now?.stage,
        hardware: now?.hardware ?? now?.requestedHardware ?? undefined,
        commit,
        runUrl,
        error: report.error?.message,
        logs: report.logs
    };
}
const HEADINGS = {
    ready: '✅ ready',
    failed: '❌ failed',
    deleted: '🗑️ deleted',
    paused: '⏸️ paused',
    done: 'ℹ️ updated'
};
function renderComment(facts) {
    const rows = [['Space', `[${plain(facts.spaceId)}](${facts.spaceUrl})`]];
    if (facts.appUrl)
        rows.push(['App', `<${facts.appUrl}>`]);
    if (facts.stage)
        rows.push(['Stage', codeSpan(facts.stage)]);
    if (facts.hardware)
        rows.push(['Hardware', codeSpan(facts.hardware)]);
    if (facts.commit)
        rows.push(['Commit', codeSpan(facts.commit.slice(0, 7))]);
    rows.push(['Run', `[logs](${facts.runUrl})`]);
    const head = [
        commentMarker(facts.spaceId),
        `### Hugging Face Space ${plain(facts.spaceId)}: ${HEADINGS[facts.state]}`,
        '',
        '| | |',
        '| --- | --- |',
        ...rows.map(([name, value]) => `| ${name} | ${value} |`),
        ''
    ].join('\n');
    const parts = [head];
    if (facts.error)
        parts.push('**Error**', fenced([facts.error]));
    if (facts.state === 'failed' && facts.logs) {
        const lines = facts.logs.lines.slice(-LOG_LINES).map(line => clip(line, LINE_CHARS));
        parts.push(`**${facts.logs.kind === 'build' ? 'Build' : 'Run'} log**, last ${lines.length} lines`);
        // Drop the oldest lines until the body fits.
        let tail = lines;
        const room = MAX_COMMENT - parts.join('\n').length - 100;
        while (tail.length && fenced(tail).length > room)
            tail = tail.slice(1);
        parts.push(fenced(tail.length ? tail : ['(no log lines could be read)']));
    }
    return clip(parts.join('\n'), MAX_COMMENT);
}
/** A fence one backtick longer than the longest run of backticks in the text. */
function fenced(lines) {
    const text = lines.join('\n');
    const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map(run => run.length));
    const fence = '`'.repeat(Math.max(3, longest + 1));
    return `${fence}text\n${text}\n${fence}\n`;
}
function codeSpan(text) {
    return `\`${text.replace(/[`|\r\n]/g, '')}\``;
}
/** Space ids hold only letters, digits, `-`, `_` and `.`; this keeps even those from reading as Markdown. */
function plain(text) {
    return text.replace(/[\\`*_[\]<>|]/g, c => `\\${c}`);
}
function clip(text, max) {
    return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

// EXTERNAL MODULE: ./node_modules/@actions/github/lib/github.js + 22 modules
var github = __webpack_require__(2413);
// EXTERNAL MODULE: ./src/hub/errors.ts
var errors = __webpack_require__(4668);
;// CONCATENATED MODULE: ./src/github/context.ts
/**
 * What the workflow run says about itself, through @actions/github's context (the event payload at
 * GITHUB_EVENT_PATH, GITHUB_SHA, GITHUB_SERVER_URL, GITHUB_RUN_ID…), read once this module is loaded.
 */

const DEPENDABOT = 'dependabot[bot]';
/** The pull request of a pull_request or pull_request_target event; undefined for any other event. */
function pullRequest() {
    const pr = github/* context */._.payload.pull_request;
    if (!pr || typeof pr.number !== 'number' || !github/* context */._.eventName?.startsWith('pull_request'))
        return undefined;
    // pull_request_target runs the base repository's workflow with its secrets and a write token, by design.
    const restricted = github/* context */._.eventName === 'pull_request';
    const fork = pr.head?.repo?.full_name !== pr.base?.repo?.full_name;
    const dependabot = pr.user?.login === DEPENDABOT || github/* context */._.actor === DEPENDABOT;
    return {
        number: pr.number,
        headSha: pr.head?.sha ?? github/* context */._.sha,
        untrusted: !restricted ? undefined : fork ? 'fork' : dependabot ? 'dependabot' : undefined
    };
}
/** The commit a deployment is recorded on. */
function deploymentRef() {
    return pullRequest()?.headSha ?? github/* context */._.sha;
}
function repository() {
    return github/* context */._.repo;
}
/** This run's page (GITHUB_SERVER_URL, so GitHub Enterprise works), the attempt included. */
function runUrl() {
    const { owner, repo } = github/* context */._.repo;
    const attempt = Number.isFinite(github/* context */._.runAttempt) ? `/attempts/${github/* context */._.runAttempt}` : '';
    return `${github/* context */._.serverUrl}/${owner}/${repo}/actions/runs/${github/* context */._.runId}${attempt}`;
}
function apiUrl() {
    return github/* context */._.apiUrl;
}

;// CONCATENATED MODULE: ./src/github/api.ts
/**
 * The GitHub REST client: @actions/github's Octokit on GITHUB_API_URL, with every call bounded by a timeout. The
 * token goes only there. A failed call is a warning for the caller to give, never a failed step: the Space is the
 * product, the records on GitHub are a convenience.
 */




const CALL_TIMEOUT_MS = 15_000;
function gitHubApi(token) {
    const api = (0,github/* getOctokit */.Q)(token, {
        baseUrl: apiUrl(),
        userAgent: `${names/* ACTION_NAME */.px}/${names/* ACTION_VERSION */.Yt}`
    });
    api.hook.wrap('request', (request, options) => request({ ...options, request: { ...options.request, signal: AbortSignal.timeout(CALL_TIMEOUT_MS) } }));
    return api;
}
/** Runs `call`; on failure warns with what could not be done and why, and gives undefined. */
async function bestEffort(what, call, warn) {
    try {
        return await call();
    }
    catch (error) {
        const status = error.status;
        const why = error instanceof Error ? error.message : String(error);
        const hint = status === 403 || (0,errors/* isNotFound */.c4)(error)
            ? " Check the job's `permissions:` (deployments: write, pull-requests: write); on a fork's pull request the token is read-only."
            : '';
        warn(`Could not ${what} on GitHub (${typeof status === 'number' ? `HTTP ${status}: ` : ''}${why}).${hint}`);
        return undefined;
    }
}

;// CONCATENATED MODULE: ./src/github/comment.ts

/** The GITHUB_TOKEN cannot read /user; its comments are signed by the Actions app's bot. */
const ACTIONS_BOT = 'github-actions[bot]';
async function upsertComment(api, issue, marker, body) {
    const repo = repository();
    const me = await identity(api);
    const comments = await api.paginate(api.rest.issues.listComments, {
        ...repo,
        issue_number: issue,
        per_page: 100
    });
    const ours = comments.find(comment => comment.user?.login === me && comment.body?.includes(marker));
    if (!ours) {
        await api.rest.issues.createComment({ ...repo, issue_number: issue, body });
        return 'created';
    }
    if (ours.body === body)
        return 'unchanged';
    await api.rest.issues.updateComment({ ...repo, comment_id: ours.id, body });
    return 'updated';
}
async function identity(api) {
    try {
        return (await api.rest.users.getAuthenticated()).data.login;
    }
    catch (error) {
        if (error.status === 403)
            return ACTIONS_BOT;
        throw error;
    }
}

;// CONCATENATED MODULE: ./src/github/deployments.ts

async function createDeployment(api, spec) {
    const answer = await api.rest.repos.createDeployment({
        ...repository(),
        ref: spec.ref,
        environment: spec.environment,
        description: spec.description,
        // No required contexts: else GitHub answers 409 while this job's own checks are pending.
        required_contexts: [],
        // Never merge the default branch into the ref.
        auto_merge: false,
        transient_environment: !spec.production,
        production_environment: spec.production,
        payload: { space: spec.spaceId }
    });
    const id = answer.data.id;
    if (typeof id !== 'number')
        throw new Error(`GitHub answered ${answer.status} without a deployment id`);
    return id;
}
async function setDeploymentState(api, id, state, details) {
    await api.rest.repos.createDeploymentStatus({
        ...repository(),
        deployment_id: id,
        state,
        log_url: details.logUrl,
        description: details.description.slice(0, 140),
        ...(details.environmentUrl ? { environment_url: details.environmentUrl } : {}),
        // Older deployments of the environment stay as they are; this action marks its own inactive in the post step.
        auto_inactive: false
    });
    return state;
}

;// CONCATENATED MODULE: ./src/github/index.ts







/** The notice for a pull request that cannot have credentials, or undefined when the missing credentials are a mistake. */
function skipNotice() {
    const untrusted = pullRequest()?.untrusted;
    if (!untrusted)
        return undefined;
    const who = untrusted === 'fork' ? 'from a fork' : 'opened by Dependabot';
    return (`Skipped: this pull request is ${who}, so GitHub gives the job no secrets (no HF_TOKEN) and no OIDC token, ` +
        'and the Space cannot be touched. To preview such pull requests safely, deploy from a `workflow_run` workflow ' +
        'that runs after this one, or from `pull_request_target` behind a label a maintainer adds after reading the ' +
        "change (never check out and run the fork's code with secrets otherwise).");
}
class GitHubSession {
    plan;
    api;
    pr;
    io;
    saved;
    constructor(plan, api, pr, io, spaceId, endpoint) {
        this.plan = plan;
        this.api = api;
        this.pr = pr;
        this.io = io;
        this.saved = {
            spaceId,
            spaceUrl: (0,report_report/* spaceUrl */.SD)({ spaceId, endpoint }),
            runUrl: runUrl(),
            commit: deploymentRef(),
            ...(pr ? { pullRequest: pr.number } : {})
        };
    }
    /** Records the deployment as in progress, when `environment` asks for one. */
    static async start(plan, github, io) {
        const pr = pullRequest();
        const session = new GitHubSession(github, gitHubApi(github.token), pr, io, plan.spaceId, plan.endpoint);
        if (pr?.untrusted) {
            io.notice(`This pull request is ${pr.untrusted === 'fork' ? 'from a fork' : 'from Dependabot'}: its GitHub token is ` +
                'read-only, so no deployment or comment is recorded on GitHub.');
            return session;
        }
        if (github.prComment && !pr)
            io.info('`pr-comment`: this run is not for a pull request, so no comment is kept.');
        await session.startDeployment();
        return session;
    }
    async startDeployment() {
        const { environment, deployment, production } = this.plan;
        if (!environment || deployment !== 'create')
            return;
        const id = await bestEffort(`record a deployment to ${environment}`, () => createDeployment(this.api, {
            ref: this.saved.commit,
            environment,
            production,
            description: `Hugging Face Space ${this.saved.spaceId}`,
            spaceId: this.saved.spaceId
        }), this.io.warn);
        if (id === undefined)
            return;
        this.saved.deploymentId = id;
        this.io.setOutput(names/* Output */.k7.deploymentId, String(id));
        // Saved before any status: a step killed from here on leaves the post step a deployment to finish.
        this.saved.status = 'in_progress';
        this.io.state.save(names/* State */.Uw.github, JSON.stringify(this.saved));
        await this.setState('in_progress', 'The Space is being deployed.');
    }
    /** The deployment's outcome and the comment, from the step's report. */
    async finish(report) {
        if (this.pr?.untrusted)
            return;
        const now = report.after ?? report.before;
        const ready = !report.error && now?.stage === 'RUNNING';
        await this.setState(report.error ? 'failure' : 'success', report.error
            ? report.error.message
            : ready
                ? 'The Space is running.'
                : `Stage ${now?.stage ?? 'unknown'}.`, ready ? report.appUrl : undefined);
        if (this.plan.prComment && this.pr)
            await this.comment(commentFacts(report, this.saved.runUrl, this.saved.commit));
    }
    async comment(facts) {
        const number = this.saved.pullRequest;
        if (number === undefined)
            return;
        const done = await bestEffort(`update the comment on pull request #${number}`, () => upsertComment(this.api, number, commentMarker(facts.spaceId), renderComment(facts)), this.io.warn);
        if (done)
            this.io.info(`Pull request #${number}: comment ${done}.`);
    }
    async setState(state, description, environmentUrl) {
        const id = this.saved.deploymentId;
        if (id !== undefined) {
            const done = await bestEffort(`mark deployment ${id} ${state}`, () => setDeploymentState(this.api, id, state, { logUrl: this.saved.runUrl, environmentUrl, description }), this.io.warn);
            if (done !== undefined)
                this.saved.status = state;
        }
        this.io.state.save(names/* State */.Uw.github, JSON.stringify(this.saved));
    }
    /** The post step: a deployment left in progress becomes `error`; a Space deleted or paused, `inactive`. */
    static async finishInPost(github, io, teardown) {
        const saved = loadSaved(io.state.get(names/* State */.Uw.github));
        if (!saved)
            return;
        const pr = pullRequest();
        if (pr?.untrusted)
            return;
        const session = new GitHubSession(github, gitHubApi(github.token), pr, io, saved.spaceId, '');
        session.saved = saved;
        if (saved.status === 'in_progress')
            await session.setState('error', 'The step ended before the Space was ready (cancelled or stopped).');
        const gone = teardown?.done && (teardown.mode === 'delete' || teardown.mode === 'pause');
        if (!gone)
            return;
        if (saved.status)
            await session.setState('inactive', `The Space was ${teardown.mode === 'delete' ? 'deleted' : 'paused'} after the job.`);
        if (github.prComment && pr) {
            await session.comment({
                state: teardown.mode === 'delete' ? 'deleted' : 'paused',
                spaceId: saved.spaceId,
                spaceUrl: saved.spaceUrl,
                runUrl: saved.runUrl,
                commit: saved.commit
            });
        }
    }
}
function loadSaved(text) {
    if (!text)
        return undefined;
    try {
        const value = JSON.parse(text);
        if (typeof value.spaceId !== 'string' ||
            typeof value.runUrl !== 'string' ||
            typeof value.spaceUrl !== 'string')
            return undefined;
        return value;
    }
    catch {
        return undefined;
    }
}


/***/ })

};
;
//# sourceMappingURL=928.index.js.map