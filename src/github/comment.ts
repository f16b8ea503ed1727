/**
 * The sticky comment: found among every comment of the pull request (all pages) by its marker and by its author
 * being this token's own identity, so a marker copied into someone else's comment is never edited.
 */
import type { GitHubApi } from './api.js'
import { repository } from './context.js'

export type CommentResult = 'created' | 'updated' | 'unchanged'

/** The GITHUB_TOKEN cannot read /user; its comments are signed by the Actions app's bot. */
const ACTIONS_BOT = 'github-actions[bot]'

export async function upsertComment(
  api: GitHubApi,
  issue: number,
  marker: string,
  body: string
): Promise<CommentResult> {
  const repo = repository()
  const me = await identity(api)
  const comments = await api.paginate(api.rest.issues.listComments, {
    ...repo,
    issue_number: issue,
    per_page: 100
  })
  const ours = comments.find(comment => comment.user?.login === me && comment.body?.includes(marker))
  if (!ours) {
    await api.rest.issues.createComment({ ...repo, issue_number: issue, body })
    return 'created'
  }
  if (ours.body === body) return 'unchanged'
  await api.rest.issues.updateComment({ ...repo, comment_id: ours.id, body })
  return 'updated'
}

async function identity(api: GitHubApi): Promise<string> {
  try {
    return (await api.rest.users.getAuthenticated()).data.login
  } catch (error) {
    if ((error as { status?: unknown }).status === 403) return ACTIONS_BOT
    throw error
  }
}
