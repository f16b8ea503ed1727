/**
 * The GitHub side of a step, loaded with `import()` only when `environment` or `pr-comment` is on (or a pull
 * request has no credentials), so a plain read never loads @actions/github. The main step records a deployment and
 * keeps the pull request comment current; the post step finishes what it left. Every GitHub failure is a warning.
 */
import type { GitHubPlan, Plan } from '../plan/plan.js'
import { Output, State, type TeardownMode } from '../plan/names.js'
import { commentFacts, commentMarker, renderComment, type CommentFacts } from '../report/pr-comment.js'
import { spaceUrl, type Report } from '../report/report.js'
import type { StateStore } from '../teardown/state.js'
import { bestEffort, gitHubApi, type GitHubApi } from './api.js'
import { upsertComment } from './comment.js'
import { deploymentRef, pullRequest, runUrl, type PullRequest } from './context.js'
import { createDeployment, setDeploymentState, type DeploymentState } from './deployments.js'

export interface GitHubIO {
  info: (text: string) => void
  warn: (text: string) => void
  notice: (text: string) => void
  setOutput: (name: string, value: string) => void
  state: StateStore
}

/** What the post step needs (never the token: post reads it from its inputs again). */
interface SavedGitHub {
  spaceId: string
  spaceUrl: string
  runUrl: string
  commit: string
  deploymentId?: number
  /** The deployment's last state: `in_progress` here in the post step means the main step never finished. */
  status?: DeploymentState
  pullRequest?: number
}

/** The notice for a pull request that cannot have credentials, or undefined when the missing credentials are a mistake. */
export function skipNotice(): string | undefined {
  const untrusted = pullRequest()?.untrusted
  if (!untrusted) return undefined
  const who = untrusted === 'fork' ? 'from a fork' : 'opened by Dependabot'
  return (
    `Skipped: this pull request is ${who}, so GitHub gives the job no secrets (no HF_TOKEN) and no OIDC token, ` +
    'and the Space cannot be touched. To preview such pull requests safely, deploy from a `workflow_run` workflow ' +
    'that runs after this one, or from `pull_request_target` behind a label a maintainer adds after reading the ' +
    "change (never check out and run the fork's code with secrets otherwise)."
  )
}

export class GitHubSession {
  private saved: SavedGitHub

  private constructor(
    private readonly plan: GitHubPlan,
    private readonly api: GitHubApi,
    private readonly pr: PullRequest | undefined,
    private readonly io: GitHubIO,
    spaceId: string,
    endpoint: string
  ) {
    this.saved = {
      spaceId,
      spaceUrl: spaceUrl({ spaceId, endpoint }),
      runUrl: runUrl(),
      commit: deploymentRef(),
      ...(pr ? { pullRequest: pr.number } : {})
    }
  }

  /** Records the deployment as in progress, when `environment` asks for one. */
  static async start(plan: Plan, github: GitHubPlan, io: GitHubIO): Promise<GitHubSession> {
    const pr = pullRequest()
    const session = new GitHubSession(github, gitHubApi(github.token), pr, io, plan.spaceId, plan.endpoint)
    if (pr?.untrusted) {
      io.notice(
        `This pull request is ${pr.untrusted === 'fork' ? 'from a fork' : 'from Dependabot'}: its GitHub token is ` +
          'read-only, so no deployment or comment is recorded on GitHub.'
      )
      return session
    }
    if (github.prComment && !pr)
      io.info('`pr-comment`: this run is not for a pull request, so no comment is kept.')
    await session.startDeployment()
    return session
  }

  private async startDeployment(): Promise<void> {
    const { environment, deployment, production } = this.plan
    if (!environment || deployment !== 'create') return
    const id = await bestEffort(
      `record a deployment to ${environment}`,
      () =>
        createDeployment(this.api, {
          ref: this.saved.commit,
          environment,
          production,
          description: `Hugging Face Space ${this.saved.spaceId}`,
          spaceId: this.saved.spaceId
        }),
      this.io.warn
    )
    if (id === undefined) return
    this.saved.deploymentId = id
    this.io.setOutput(Output.deploymentId, String(id))
    // Saved before any status: a step killed from here on leaves the post step a deployment to finish.
    this.saved.status = 'in_progress'
    this.io.state.save(State.github, JSON.stringify(this.saved))
    await this.setState('in_progress', 'The Space is being deployed.')
  }

  /** The deployment's outcome and the comment, from the step's report. */
  async finish(report: Report): Promise<void> {
    if (this.pr?.untrusted) return
    const now = report.after ?? report.before
    const ready = !report.error && now?.stage === 'RUNNING'
    await this.setState(
      report.error ? 'failure' : 'success',
      report.error
        ? report.error.message
        : ready
          ? 'The Space is running.'
          : `Stage ${now?.stage ?? 'unknown'}.`,
      ready ? report.appUrl : undefined
    )
    if (this.plan.prComment && this.pr)
      await this.comment(commentFacts(report, this.saved.runUrl, this.saved.commit))
  }

  async comment(facts: CommentFacts): Promise<void> {
    const number = this.saved.pullRequest
    if (number === undefined) return
    const done = await bestEffort(
      `update the comment on pull request #${number}`,
      () => upsertComment(this.api, number, commentMarker(facts.spaceId), renderComment(facts)),
      this.io.warn
    )
    if (done) this.io.info(`Pull request #${number}: comment ${done}.`)
  }

  async setState(state: DeploymentState, description: string, environmentUrl?: string): Promise<void> {
    const id = this.saved.deploymentId
    if (id !== undefined) {
      const done = await bestEffort(
        `mark deployment ${id} ${state}`,
        () =>
          setDeploymentState(this.api, id, state, { logUrl: this.saved.runUrl, environmentUrl, description }),
        this.io.warn
      )
      if (done !== undefined) this.saved.status = state
    }
    this.io.state.save(State.github, JSON.stringify(this.saved))
  }

  /** The post step: a deployment left in progress becomes `error`; a Space deleted or paused, `inactive`. */
  static async finishInPost(
    github: GitHubPlan,
    io: GitHubIO,
    teardown: { mode: TeardownMode; done: boolean } | undefined
  ): Promise<void> {
    const saved = loadSaved(io.state.get(State.github))
    if (!saved) return
    const pr = pullRequest()
    if (pr?.untrusted) return
    const session = new GitHubSession(github, gitHubApi(github.token), pr, io, saved.spaceId, '')
    session.saved = saved
    if (saved.status === 'in_progress')
      await session.setState('error', 'The step ended before the Space was ready (cancelled or stopped).')
    const gone = teardown?.done && (teardown.mode === 'delete' || teardown.mode === 'pause')
    if (!gone) return
    if (saved.status)
      await session.setState(
        'inactive',
        `The Space was ${teardown.mode === 'delete' ? 'deleted' : 'paused'} after the job.`
      )
    if (github.prComment && pr) {
      await session.comment({
        state: teardown.mode === 'delete' ? 'deleted' : 'paused',
        spaceId: saved.spaceId,
        spaceUrl: saved.spaceUrl,
        runUrl: saved.runUrl,
        commit: saved.commit
      })
    }
  }
}

function loadSaved(text: string): SavedGitHub | undefined {
  if (!text) return undefined
  try {
    const value = JSON.parse(text) as Partial<SavedGitHub>
    if (
      typeof value.spaceId !== 'string' ||
      typeof value.runUrl !== 'string' ||
      typeof value.spaceUrl !== 'string'
    )
      return undefined
    return value as SavedGitHub
  } catch {
    return undefined
  }
}
