/**
 * The GitHub REST client: @actions/github's Octokit on GITHUB_API_URL, with every call bounded by a timeout. The
 * token goes only there. A failed call is a warning for the caller to give, never a failed step: the Space is the
 * product, the records on GitHub are a convenience.
 */
import { getOctokit } from '@actions/github'
import { isNotFound } from '../hub/errors.js'
import { ACTION_NAME, ACTION_VERSION } from '../plan/names.js'
import { apiUrl } from './context.js'

export type GitHubApi = ReturnType<typeof getOctokit>

const CALL_TIMEOUT_MS = 15_000

export function gitHubApi(token: string): GitHubApi {
  const api = getOctokit(token, {
    baseUrl: apiUrl(),
    userAgent: `${ACTION_NAME}/${ACTION_VERSION}`
  })
  api.hook.wrap('request', (request, options) =>
    request({ ...options, request: { ...options.request, signal: AbortSignal.timeout(CALL_TIMEOUT_MS) } })
  )
  return api
}

/** Runs `call`; on failure warns with what could not be done and why, and gives undefined. */
export async function bestEffort<T>(
  what: string,
  call: () => Promise<T>,
  warn: (text: string) => void
): Promise<T | undefined> {
  try {
    return await call()
  } catch (error) {
    const status = (error as { status?: unknown }).status
    const why = error instanceof Error ? error.message : String(error)
    const hint =
      status === 403 || isNotFound(error)
        ? " Check the job's `permissions:` (deployments: write, pull-requests: write); on a fork's pull request the token is read-only."
        : ''
    warn(
      `Could not ${what} on GitHub (${typeof status === 'number' ? `HTTP ${status}: ` : ''}${why}).${hint}`
    )
    return undefined
  }
}
