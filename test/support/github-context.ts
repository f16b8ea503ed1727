/**
 * @actions/github reads its `context` from the environment once, when it is loaded. A test that runs a step in
 * process points that context at an event of the GitHub emulator (test/support/github-emulator.ts) instead, as the
 * runner's environment would, and puts it back afterwards.
 */
import { context } from '@actions/github'
import { eventEnv, eventPayload, HEAD_SHA, type EventKind, type GitHubEmulator } from './github-emulator.js'

export const RUN_ID = 4242

/** Sets the event; returns what undoes it. */
export function useGitHubEvent(
  github: Pick<GitHubEmulator, 'url'>,
  kind: EventKind,
  headSha: string = HEAD_SHA
): () => void {
  const env = eventEnv(github, kind)
  const saved = { ...context }
  const repository = process.env.GITHUB_REPOSITORY
  // context.repo reads this one at each call.
  process.env.GITHUB_REPOSITORY = env.GITHUB_REPOSITORY
  Object.assign(context, {
    payload: eventPayload(kind, headSha),
    eventName: env.GITHUB_EVENT_NAME,
    sha: env.GITHUB_SHA,
    ref: env.GITHUB_REF,
    actor: env.GITHUB_ACTOR,
    apiUrl: env.GITHUB_API_URL,
    serverUrl: env.GITHUB_SERVER_URL,
    runId: RUN_ID,
    runAttempt: 1
  })
  return () => {
    Object.assign(context, saved)
    if (repository === undefined) delete process.env.GITHUB_REPOSITORY
    else process.env.GITHUB_REPOSITORY = repository
  }
}
