/**
 * The GitHub side of the steps (src/github/) in process: the main and post steps against the Hub emulator on one fake
 * clock and the GitHub API emulator, with @actions/github's context pointed at an event (test/support/github-context.ts).
 * Deployments and their statuses, the sticky pull request comment, and what a fork's pull request may not do.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { bestEffort, gitHubApi } from '../../src/github/api.js'
import { upsertComment } from '../../src/github/comment.js'
import { pullRequest, runUrl } from '../../src/github/context.js'
import { mainStep } from '../../src/steps/main-step.js'
import { postStep } from '../../src/steps/post-step.js'
import { DEFAULT_ACCOUNTS, startEmulator, type Emulator } from '../../packages/hub-emulator/src/index.js'
import { FakeClock } from '../../packages/hub-emulator/src/clock.js'
import { fakeRunner, type FakeRunner } from '../support/fake-runner.js'
import { RUN_ID, useGitHubEvent } from '../support/github-context.js'
import {
  HEAD_SHA,
  MERGE_SHA,
  PERSONAL_TOKEN,
  PR_NUMBER,
  READ_ONLY_TOKEN,
  startGitHubEmulator,
  WRITE_TOKEN,
  type EventKind,
  type GitHubEmulator
} from '../support/github-emulator.js'

const TOKEN = DEFAULT_ACCOUNTS.find(a => a.name === 'acme')?.token ?? ''
const SPACE = 'acme/eval-app'
const MARKER = '<!-- hf-space-action:space='

let hub: Emulator
let gh: GitHubEmulator
let clock: FakeClock
let restore: (() => void) | undefined
beforeEach(async () => {
  clock = new FakeClock(Date.parse('2026-01-01T00:00:00.000Z'))
  hub = await startEmulator({ clock })
  hub.addSpace({ id: SPACE, timings: { buildMs: 60_000, startMs: 5_000 } })
  gh = await startGitHubEmulator()
})
afterEach(async () => {
  restore?.()
  restore = undefined
  await hub.close()
  await gh.close()
})

function runner(
  inputs: Record<string, string>,
  options: { state?: Record<string, string>; env?: NodeJS.ProcessEnv } = {}
): FakeRunner {
  return fakeRunner({
    inputs: { 'space-id': SPACE, endpoint: hub.url, 'github-token': WRITE_TOKEN, ...inputs },
    env: options.env ?? { HF_TOKEN: TOKEN },
    clock,
    ...(options.state ? { state: options.state } : {})
  })
}

async function job(
  kind: EventKind,
  inputs: Record<string, string>,
  between?: (saved: Record<string, string>) => void
): Promise<{ main: FakeRunner; post: FakeRunner }> {
  restore = useGitHubEvent(gh, kind)
  const main = runner(inputs)
  await mainStep(main)
  between?.(main.saved)
  const post = runner(inputs, { state: main.saved })
  await postStep(post)
  return { main, post }
}

const comments = (): string[] => (gh.comments.get(PR_NUMBER) ?? []).map(c => c.body)

describe('a pull request preview', () => {
  it('records a deployment on the head commit, comments, and marks both after the teardown', async () => {
    const { main, post } = await job('pull_request', {
      operation: 'restart',
      environment: 'preview',
      'pr-comment': 'true',
      teardown: 'pause'
    })
    expect(main.failures).toEqual([])
    expect(post.failures).toEqual([])
    const [deployment] = gh.deployments
    expect(deployment).toMatchObject({
      ref: HEAD_SHA,
      environment: 'preview',
      required_contexts: [],
      auto_merge: false,
      transient_environment: true,
      production_environment: false,
      payload: { space: SPACE }
    })
    expect(deployment?.statuses.map(s => s.state)).toEqual(['in_progress', 'success', 'inactive'])
    expect(deployment?.statuses[1]).toMatchObject({
      log_url: `https://github.example.com/acme/ci/actions/runs/${RUN_ID}/attempts/1`,
      description: 'The Space is running.'
    })
    expect(main.outputs['deployment-id']).toBe(String(deployment?.id))
    expect(main.lines).toContain(`Pull request #${PR_NUMBER}: comment created.`)
    expect(post.lines).toContain(`Pull request #${PR_NUMBER}: comment updated.`)
    // One sticky comment, edited in place: it now says the Space was paused.
    expect(comments()).toHaveLength(1)
    expect(comments()[0]).toContain(MARKER)
    expect(comments()[0]).toMatch(/paused/i)
  })

  it('marks the deployment failed when the build fails, and says so in the comment', async () => {
    hub.updateSpace(SPACE, { nextBuild: { outcome: 'BUILD_ERROR', errorMessage: 'pip failed' } })
    restore = useGitHubEvent(gh, 'pull_request')
    const main = runner({ operation: 'restart', environment: 'preview', 'pr-comment': 'true' })
    await mainStep(main)
    expect(main.failures).toHaveLength(1)
    expect(gh.deployments[0]?.statuses.map(s => s.state)).toEqual(['in_progress', 'failure'])
    expect(comments()[0]).toContain('pip failed')
  })

  it('a step that ended mid-way leaves a deployment in progress: the post step marks it an error', async () => {
    const { post } = await job('pull_request', { operation: 'restart', environment: 'preview' }, saved => {
      const github = JSON.parse(saved.github ?? '{}') as Record<string, unknown>
      saved.github = JSON.stringify({ ...github, status: 'in_progress' })
    })
    expect(post.failures).toEqual([])
    expect(gh.deployments[0]?.statuses.map(s => s.state)).toEqual(['in_progress', 'success', 'error'])
  })

  it('on a push there is no pull request: the deployment is on the pushed commit, and no comment is kept', async () => {
    const { main } = await job('push', {
      operation: 'runtime',
      environment: 'production',
      'production-environment': 'true',
      'pr-comment': 'true'
    })
    expect(main.lines).toContain('`pr-comment`: this run is not for a pull request, so no comment is kept.')
    expect(gh.deployments[0]).toMatchObject({ ref: MERGE_SHA, production_environment: true })
    expect(gh.comments.size).toBe(0)
  })

  it('`deployment: outputs` records nothing on GitHub', async () => {
    const { main } = await job('pull_request', {
      operation: 'runtime',
      environment: 'preview',
      deployment: 'outputs'
    })
    expect(main.failures).toEqual([])
    expect(gh.writes()).toEqual([])
  })

  it('a token without the permissions is a warning with what to check, never a failure', async () => {
    restore = useGitHubEvent(gh, 'pull_request')
    const main = runner({
      operation: 'runtime',
      environment: 'preview',
      'pr-comment': 'true',
      'github-token': READ_ONLY_TOKEN
    })
    await mainStep(main)
    expect(main.failures).toEqual([])
    expect(main.lines).toContainEqual(
      expect.stringMatching(
        /^warning: Could not record a deployment to preview on GitHub \(HTTP 403: .*\)\. Check the job's `permissions:`/
      )
    )
    expect(main.lines).toContainEqual(
      expect.stringMatching(/^warning: Could not update the comment on pull request #7 on GitHub \(HTTP 403/)
    )
  })
})

describe("a fork's pull request", () => {
  it('without credentials is skipped with a notice, not failed', async () => {
    restore = useGitHubEvent(gh, 'fork')
    const main = runner({ operation: 'restart' }, { env: {} })
    await mainStep(main)
    expect(main.failures).toEqual([])
    expect(main.outputs.skipped).toBe('true')
    expect(main.lines).toContainEqual(
      expect.stringMatching(/^notice: Skipped: this pull request is from a fork/)
    )
    expect(hub.requests()).toEqual([])
  })

  it('from Dependabot is skipped the same way', async () => {
    restore = useGitHubEvent(gh, 'dependabot')
    const main = runner({ operation: 'restart' }, { env: {} })
    await mainStep(main)
    expect(main.lines).toContainEqual(
      expect.stringMatching(/^notice: Skipped: this pull request is opened by Dependabot/)
    )
  })

  it('without credentials on a same-repository pull request is a failure', async () => {
    restore = useGitHubEvent(gh, 'pull_request')
    const main = runner({ operation: 'restart' }, { env: {} })
    await mainStep(main)
    expect(main.failures).toHaveLength(1)
    expect(main.outputs.skipped).toBeUndefined()
  })

  it('with a Hub token records nothing on GitHub: its GitHub token is read-only', async () => {
    const { main, post } = await job('fork', {
      operation: 'restart',
      environment: 'preview',
      'pr-comment': 'true',
      'github-token': READ_ONLY_TOKEN,
      teardown: 'pause'
    })
    expect(main.failures).toEqual([])
    expect(post.failures).toEqual([])
    expect(main.lines).toContainEqual(
      expect.stringMatching(/^notice: This pull request is from a fork: its GitHub token is read-only/)
    )
    expect(gh.requests).toEqual([])
  })
})

describe('the GitHub client', () => {
  beforeEach(() => {
    restore = useGitHubEvent(gh, 'pull_request')
  })

  it('finds its own comment on any page, by marker and author, and leaves a copied marker alone', async () => {
    const api = gitHubApi(PERSONAL_TOKEN)
    const marker = '<!-- mine -->'
    gh.addComments(PR_NUMBER, [
      ...Array.from({ length: 120 }, (_, i) => ({ body: `comment ${i}` })),
      { body: `${marker} copied`, login: 'someone' },
      { body: `${marker} old`, login: 'octocat' }
    ])
    // The personal token reads its identity from /user (a GITHUB_TOKEN cannot, and is the Actions bot).
    expect(await upsertComment(api, PR_NUMBER, marker, `${marker} new`)).toBe('updated')
    expect(await upsertComment(api, PR_NUMBER, marker, `${marker} new`)).toBe('unchanged')
    const bodies = comments()
    expect(bodies.filter(b => b.includes(marker))).toEqual([`${marker} copied`, `${marker} new`])
    expect(gh.requests.filter(r => r.path.endsWith('/comments') && r.query.page === '2')).not.toEqual([])
  })

  it('a bad token fails the call; bestEffort turns that into a warning', async () => {
    const warnings: string[] = []
    const api = gitHubApi('ghs_not_a_token')
    const answer = await bestEffort(
      'list comments',
      () => upsertComment(api, PR_NUMBER, 'x', 'y'),
      text => warnings.push(text)
    )
    expect(answer).toBeUndefined()
    expect(warnings).toEqual([expect.stringMatching(/^Could not list comments on GitHub \(HTTP 401: /)])
    await bestEffort(
      'do a thing',
      () => Promise.reject(new Error('boom')),
      text => warnings.push(text)
    )
    expect(warnings[1]).toBe('Could not do a thing on GitHub (boom).')
  })

  it('reads the pull request and the run from the event', () => {
    expect(pullRequest()).toEqual({ number: PR_NUMBER, headSha: HEAD_SHA, untrusted: undefined })
    expect(runUrl()).toBe(`https://github.example.com/acme/ci/actions/runs/${RUN_ID}/attempts/1`)
  })
})
