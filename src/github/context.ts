/**
 * What the workflow run says about itself, through @actions/github's context (the event payload at
 * GITHUB_EVENT_PATH, GITHUB_SHA, GITHUB_SERVER_URL, GITHUB_RUN_ID…), read once this module is loaded.
 */
import { context } from '@actions/github'

export interface PullRequest {
  number: number
  /** The commit people see on the pull request (not the merge commit GITHUB_SHA names). */
  headSha: string
  /** Why the GITHUB_TOKEN is read-only and secrets are empty here, if they are. */
  untrusted: 'fork' | 'dependabot' | undefined
}

interface PullRequestPayload {
  number?: number
  head?: { sha?: string; repo?: { full_name?: string } | null }
  base?: { repo?: { full_name?: string } }
  user?: { login?: string }
}

const DEPENDABOT = 'dependabot[bot]'

/** The pull request of a pull_request or pull_request_target event; undefined for any other event. */
export function pullRequest(): PullRequest | undefined {
  const pr = context.payload.pull_request as PullRequestPayload | undefined
  if (!pr || typeof pr.number !== 'number' || !context.eventName?.startsWith('pull_request')) return undefined
  // pull_request_target runs the base repository's workflow with its secrets and a write token, by design.
  const restricted = context.eventName === 'pull_request'
  const fork = pr.head?.repo?.full_name !== pr.base?.repo?.full_name
  const dependabot = pr.user?.login === DEPENDABOT || context.actor === DEPENDABOT
  return {
    number: pr.number,
    headSha: pr.head?.sha ?? context.sha,
    untrusted: !restricted ? undefined : fork ? 'fork' : dependabot ? 'dependabot' : undefined
  }
}

/** The commit a deployment is recorded on. */
export function deploymentRef(): string {
  return pullRequest()?.headSha ?? context.sha
}

export function repository(): { owner: string; repo: string } {
  return context.repo
}

/** This run's page (GITHUB_SERVER_URL, so GitHub Enterprise works), the attempt included. */
export function runUrl(): string {
  const { owner, repo } = context.repo
  const attempt = Number.isFinite(context.runAttempt) ? `/attempts/${context.runAttempt}` : ''
  return `${context.serverUrl}/${owner}/${repo}/actions/runs/${context.runId}${attempt}`
}

export function apiUrl(): string {
  return context.apiUrl
}
