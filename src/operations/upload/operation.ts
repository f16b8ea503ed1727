/**
 * upload: the folder as one commit (one rebuild), then, unless `wait: false` or `create-pr`, wait until the Space runs
 * that very commit: the previous build keeps answering RUNNING for a while, and the Space info's `sha` is the head
 * from the moment the commit lands, so neither proves anything (see `judgeCommit` in src/wait/readiness.ts).
 */
import { ActionError } from '../../errors.js'
import { ContentApi } from '../../hub/content.js'
import type { Runtime } from '../../hub/types.js'
import type { CommitWaitFields, UploadFields } from '../../plan/operations.js'
import type { CommonPlan } from '../../plan/plan.js'
import { makeCommit, planCommit, type PlannedCommit, type UploadOptions } from './commit.js'
import { settle, type Context, type OperationResult } from '../context.js'

export async function upload(
  ctx: Context<CommonPlan & UploadFields & CommitWaitFields>,
  before: Runtime
): Promise<OperationResult> {
  const { plan, spaces } = ctx
  const content = new ContentApi(spaces.client)
  const options: UploadOptions = {
    spaceId: plan.spaceId,
    folder: plan.folder,
    pathInRepo: plan.pathInRepo,
    ignore: plan.ignore,
    deletePatterns: plan.deletePatterns,
    createPr: plan.createPr,
    log: ctx.log
  }
  const since = ctx.clock.now()
  const planned = await planCommit(content, options)
  ctx.log.info(commitSummary(planned))
  const changes = planned.inline.length + planned.lfs.length + planned.deletions.length
  const head = planned.parentCommit ?? ''

  if (!changes) {
    const summary = 'Nothing changed: no commit was made.'
    if (plan.createPr || !head)
      return {
        after: before,
        changed: false,
        summary,
        commit: { sha: head, url: '', prUrl: null, committed: false }
      }
    // No commit, so no build to expect: RUNNING will do, serving the head where the runtime names what it serves.
    // Without a wait nothing moved since the step read the runtime: that read is the answer, not another one.
    const settled = await settle(
      ctx,
      { kind: 'running', serving: head },
      undefined,
      plan.wait ? await spaces.runtime(plan.spaceId) : before,
      since
    )
    return {
      ...settled,
      changed: false,
      summary,
      commit: { sha: head, url: '', prUrl: null, committed: false }
    }
  }

  // The baseline for the wait: an error stage seen now is not the new commit's.
  const baseline = plan.wait && !plan.createPr ? await spaces.runtime(plan.spaceId) : before
  let answer
  try {
    answer = await spaces.commit({
      spaceId: plan.spaceId,
      createPr: plan.createPr,
      lfsObjects: planned.lfs.length,
      description: commitSummary(planned),
      send: writer => makeCommit(writer, options, planned, commitText(plan.commitMessage, ctx.env))
    })
  } catch (error) {
    if (error instanceof ActionError && error.status === 412) {
      throw error.withAdvice('Someone committed to the Space while this step was uploading: re-run the step.')
    }
    throw error
  }
  if (answer.planned) return { after: before, changed: false, summary: 'Dry run: no commit was made.' }
  const made = answer
  ctx.log.info(`Committed ${made.commitOid.slice(0, 7)}: ${made.pullRequestUrl ?? made.commitUrl}`)
  const commit = { sha: made.commitOid, url: made.commitUrl, prUrl: made.pullRequestUrl, committed: true }
  ctx.publish?.({ commit })
  if (plan.createPr) {
    return {
      after: before,
      changed: true,
      summary: `Opened a pull request on the Space: ${made.pullRequestUrl ?? ''}`,
      commit
    }
  }
  const landed = ctx.clock.now()
  const first = plan.wait ? await spaces.runtime(plan.spaceId) : baseline
  const settled = await settle(ctx, { kind: 'commit', sha: made.commitOid }, baseline, first, landed)
  const running = plan.wait ? ' and the Space runs it' : ''
  return { ...settled, changed: true, summary: `Committed ${made.commitOid.slice(0, 7)}${running}.`, commit }
}

function commitSummary(planned: PlannedCommit): string {
  const parts = [
    `${planned.inline.length} file(s) inline`,
    `${planned.lfs.length} through LFS`,
    `${planned.deletions.length} deletion(s)`,
    `${planned.unchanged} unchanged`
  ]
  if (planned.ignoredByRepo) parts.push(`${planned.ignoredByRepo} ignored by the Space's .gitignore`)
  return `Upload: ${parts.join(', ')}.`
}

/** The commit title names where it came from: the GitHub repository, commit and run. */
export function commitText(
  message: string,
  env: NodeJS.ProcessEnv
): { summary: string; description: string } {
  const repository = env.GITHUB_REPOSITORY
  const run =
    repository && env.GITHUB_RUN_ID
      ? `${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${repository}/actions/runs/${env.GITHUB_RUN_ID}`
      : ''
  const source = repository ? `${repository}${env.GITHUB_SHA ? `@${env.GITHUB_SHA.slice(0, 7)}` : ''}` : ''
  return {
    summary: message || (source ? `Upload from ${source}` : 'Upload with hf-space-action'),
    description: run ? `Uploaded by ${run}` : ''
  }
}
