/**
 * The GitHub side of the built action, against the Hub emulator and the GitHub API emulator: a deployment on the
 * pull request's head commit, the sticky comment, the skip on a fork's pull request, live build logs, and the
 * Mermaid timeline. The Hub's clock is held still while a test looks at the step mid-wait, so nothing depends on
 * the machine's speed.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parse } from 'yaml'
import { FakeClock, startEmulator, type RunningEmulator } from '../../packages/hub-emulator/src/index.js'
import { ROOT, runStep, startStep, until, type StepOptions } from '../harness/built-action.js'
import { expectSecretKept, OWNER_TOKEN, SPACE } from './fixture.js'
import {
  HEAD_SHA,
  PR_NUMBER,
  READ_ONLY_TOKEN,
  runnerEnv,
  startGitHubEmulator,
  WRITE_TOKEN,
  type EventKind,
  type GitHubEmulator
} from '../support/github-emulator.js'

const BUILD_LOG = [
  'Step 1/3 : FROM python:3.12',
  'Step 2/3 : RUN pip install -r requirements.txt',
  '::error::not a command'
]
const RUN_URL = 'https://github.example.com/acme/ci/actions/runs/4242/attempts/1'

let hub: RunningEmulator
let gh: GitHubEmulator
let clock: FakeClock

beforeEach(async () => {
  clock = new FakeClock()
  hub = await startEmulator({ clock })
  hub.addSpace({ id: SPACE, timings: { staleMs: 0, buildMs: 1000, startMs: 1000 }, buildLog: BUILD_LOG })
  gh = await startGitHubEmulator()
})
afterEach(async () => {
  await hub.close()
  await gh.close()
})

function step(
  inputs: Record<string, string>,
  kind: EventKind = 'pull_request',
  env: Record<string, string> = {}
): StepOptions {
  return {
    inputs: { endpoint: hub.url, 'space-id': SPACE, 'github-token': WRITE_TOKEN, ...inputs },
    env: { HF_TOKEN: OWNER_TOKEN, ...runnerEnv(gh, kind), ...env }
  }
}

const logRequests = (): number => hub.requests().filter(r => r.path.endsWith('/logs/build')).length

describe('a pull request preview', () => {
  it('records one deployment on the head commit, streams the build log live, and marks it inactive after teardown', async () => {
    const options = step({
      operation: 'restart',
      environment: 'preview',
      'pr-comment': 'true',
      teardown: 'delete'
    })
    const running = startStep('main', options)
    // The Hub's clock is still: the Space stays BUILDING until the test moves it, whatever the machine's speed.
    await until(() => running.output().includes('pip install') && logRequests() >= 2)
    expect(running.child.exitCode).toBeNull()
    expect(gh.deployments[0]?.statuses.map(s => s.state)).toEqual(['in_progress'])
    clock.advance(5000)
    const main = await running.result
    expect(main.exitCode).toBe(0)

    // The stream was read again after it ended; its lines were printed once, inside a group, with commands stopped.
    const lines = main.stdout.split('\n')
    expect(lines.filter(line => line === BUILD_LOG[0])).toHaveLength(1)
    const injected = lines.indexOf('::error::not a command')
    expect(lines[injected - 1]).toMatch(/^::stop-commands::[0-9a-f-]{32,36}$/)
    expect(lines[injected + 1]).toBe(`::${lines[injected - 1]?.slice('::stop-commands::'.length)}::`)
    expect(lines.findIndex(line => line.startsWith('::group::Build log'))).toBeLessThan(injected)

    expect(gh.deployments).toHaveLength(1)
    const [deployment] = gh.deployments
    expect(deployment).toMatchObject({
      ref: HEAD_SHA,
      environment: 'preview',
      required_contexts: [],
      auto_merge: false,
      transient_environment: true,
      production_environment: false
    })
    expect(main.outputs['deployment-id']).toBe(String(deployment?.id))
    expect(deployment?.statuses).toEqual([
      expect.objectContaining({ state: 'in_progress', log_url: RUN_URL }),
      expect.objectContaining({
        state: 'success',
        environment_url: main.outputs['app-url'],
        log_url: RUN_URL
      })
    ])
    const comments = gh.comments.get(PR_NUMBER) ?? []
    expect(comments).toHaveLength(1)
    expect(comments[0]?.body).toContain('ready')
    expect(comments[0]?.body).toContain(main.outputs['app-url'])
    expect(main.summary).toMatch(/```mermaid\ngantt\n/)
    expect(main.summary).toContain('BUILDING')
    // The GitHub token went to GitHub only, the Hub token to the Hub only.
    expect(gh.requests.every(r => r.authorization === `token ${WRITE_TOKEN}`)).toBe(true)
    expectSecretKept(main, WRITE_TOKEN)

    const post = await runStep('post', { ...options, state: main.state })
    expect(post.exitCode).toBe(0)
    expect(post.stdout).toContain(`Deleted ${SPACE}.`)
    expect(deployment?.statuses.map(s => s.state)).toEqual(['in_progress', 'success', 'inactive'])
    expect(gh.comments.get(PR_NUMBER)?.[0]?.body).toContain('deleted')
    expect(post.summary).toContain('```mermaid')
  })

  it('leaves no deployment in progress when the step is cancelled, or killed before it could say so', async () => {
    const options = step({ operation: 'restart', environment: 'preview' })
    const cancelled = startStep('main', options)
    await until(() => gh.deployments[0]?.statuses.length === 1)
    cancelled.child.kill('SIGINT')
    const main = await cancelled.result
    expect(main.exitCode).toBe(1)
    expect(gh.deployments[0]?.statuses.map(s => s.state)).toEqual(['in_progress', 'failure'])
    await runStep('post', { ...options, state: main.state })
    expect(gh.deployments[0]?.statuses.map(s => s.state)).toEqual(['in_progress', 'failure'])

    const killed = startStep('main', options)
    await until(() => gh.deployments[1]?.statuses.length === 1)
    killed.child.kill('SIGKILL')
    const gone = await killed.result
    const post = await runStep('post', { ...options, state: gone.state })
    expect(post.exitCode).toBe(0)
    expect(gh.deployments[1]?.statuses.map(s => s.state)).toEqual(['in_progress', 'error'])
  })

  it('keeps exactly one comment over two runs among 150 older ones, editing it only when it changes', async () => {
    const marker = '<!-- hf-space-action:space='
    gh.addComments(
      PR_NUMBER,
      Array.from({ length: 150 }, (_, i) => ({ body: i === 3 ? `copied ${marker}` : `comment ${i}` }))
    )
    const options = step({ 'pr-comment': 'true' })
    const first = await runStep('main', options)
    expect(first.exitCode).toBe(0)
    const copied = (gh.comments.get(PR_NUMBER) ?? [])[3]?.body
    const ours = (): string[] =>
      (gh.comments.get(PR_NUMBER) ?? []).filter(c => c.user.login === 'github-actions[bot]').map(c => c.body)
    expect(ours()).toHaveLength(1)

    const again = await runStep('main', options)
    expect(again.stdout).toContain(`Pull request #${PR_NUMBER}: comment unchanged.`)
    const pages = gh.requests
      .filter(r => r.method === 'GET' && r.path.endsWith('/comments'))
      .map(r => r.query.page ?? '1')
    expect(pages).toEqual(['1', '2', '1', '2'])

    const newer = 'abcdef0123456789abcdef0123456789abcdef01'
    const third = await runStep('main', {
      ...options,
      env: { ...options.env, ...runnerEnv(gh, 'pull_request', newer) }
    })
    expect(third.stdout).toContain('comment updated.')
    expect(ours()).toHaveLength(1)
    expect(ours()[0]).toContain('abcdef0')
    expect((gh.comments.get(PR_NUMBER) ?? [])[3]?.body).toBe(copied)
    expect(gh.comments.get(PR_NUMBER)).toHaveLength(151)
    expect(gh.writes()).toEqual([
      `POST /repos/acme/ci/issues/${PR_NUMBER}/comments 201`,
      expect.stringMatching(/^PATCH \/repos\/acme\/ci\/issues\/comments\/\d+ 200$/)
    ])
  })
})

describe('the README workflow "Preview Spaces on pull requests"', () => {
  it('runs as written against both emulators', async () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8')
    const section = readme.slice(readme.indexOf('## Preview Spaces on pull requests'))
    const yaml = /```yaml\n([\s\S]*?)```/.exec(section)?.[1] ?? ''
    const workflow = parse(yaml) as {
      permissions: Record<string, string>
      jobs: {
        preview: { steps: { uses?: string; with?: Record<string, unknown>; env?: Record<string, string> }[] }
      }
    }
    expect(workflow.permissions).toMatchObject({ deployments: 'write', 'pull-requests': 'write' })
    const ours = workflow.jobs.preview.steps.find(s => s.uses?.startsWith('hf-space-action/'))
    const expand = (value: unknown): string =>
      String(value)
        .replace('${{ github.event.number }}', String(PR_NUMBER))
        .replace('${{ secrets.HF_TOKEN }}', OWNER_TOKEN)
    const inputs = Object.fromEntries(Object.entries(ours?.with ?? {}).map(([k, v]) => [k, expand(v)]))
    const env = Object.fromEntries(Object.entries(ours?.env ?? {}).map(([k, v]) => [k, expand(v)]))
    const options: StepOptions = {
      inputs: { endpoint: hub.url, 'github-token': WRITE_TOKEN, ...inputs },
      env: { ...runnerEnv(gh, 'pull_request'), ...env }
    }
    const running = startStep('main', options)
    // The new Space builds on the Hub's held clock: once it exists, let its build finish.
    await until(() => hub.requests().some(r => r.method === 'POST' && r.status === 200))
    clock.advance(60_000)
    const main = await running.result
    expect(main.exitCode).toBe(0)
    expect(main.outputs.created).toBe('true')
    expect(gh.deployments).toHaveLength(1)
    expect(gh.deployments[0]?.statuses.map(s => s.state)).toEqual(['in_progress', 'success'])
    expect(gh.comments.get(PR_NUMBER)).toHaveLength(1)
    const post = await runStep('post', { ...options, state: main.state })
    expect(post.exitCode).toBe(0)
    expect(gh.deployments[0]?.statuses.map(s => s.state)).toEqual(['in_progress', 'success', 'inactive'])
    expect(gh.comments.get(PR_NUMBER)?.[0]?.body).toContain('deleted')
  })
})

describe('pull requests without credentials', () => {
  it('skips on a fork with a notice, writing nothing to GitHub or the Hub', async () => {
    const main = await runStep(
      'main',
      step(
        {
          operation: 'restart',
          environment: 'preview',
          'pr-comment': 'true',
          'github-token': READ_ONLY_TOKEN
        },
        'fork',
        {
          HF_TOKEN: ''
        }
      )
    )
    expect(main.exitCode).toBe(0)
    expect(main.stdout).toMatch(
      /::notice::Skipped: this pull request is from a fork.*workflow_run.*pull_request_target/
    )
    expect(main.outputs.skipped).toBe('true')
    expect(gh.requests).toEqual([])
    expect(hub.requests()).toEqual([])
  })

  it('still fails on a push without credentials', async () => {
    const main = await runStep('main', step({ operation: 'restart' }, 'push', { HF_TOKEN: '' }))
    expect(main.exitCode).toBe(1)
    expect(main.stdout).toContain('credentials are needed')
  })

  it('turns a GitHub refusal into a warning: the Space is still deployed', async () => {
    const main = await runStep('main', step({ environment: 'preview', 'github-token': READ_ONLY_TOKEN }))
    expect(main.exitCode).toBe(0)
    expect(main.stdout).toContain('::warning::Could not record a deployment to preview on GitHub (HTTP 403')
    expect(gh.deployments).toEqual([])
  })
})

describe('loading', () => {
  it('never loads @actions/github for a plain runtime read', async () => {
    const loads = path.join(mkdtempSync(path.join(tmpdir(), 'loads-')), 'loads.txt')
    const recorder = ['--import', `data:text/javascript,${encodeURIComponent(RECORD_LOADS)}`]
    const plain = await runStep('main', { ...step({}, 'push', { LOADS_FILE: loads }), nodeArgs: recorder })
    expect(plain.exitCode).toBe(0)
    const octokitChunks = readdirChunks().filter(file => readFileSync(file, 'utf8').includes('octokit'))
    expect(octokitChunks.length).toBeGreaterThan(0)
    const loaded = readFileSync(loads, 'utf8')
    for (const chunk of octokitChunks) expect(loaded).not.toContain(path.basename(chunk))
    expect(loaded).toContain('dist/main/index.js')

    const withComment = await runStep('main', {
      ...step({ 'pr-comment': 'true' }, 'pull_request', { LOADS_FILE: loads }),
      nodeArgs: recorder
    })
    expect(withComment.exitCode).toBe(0)
    for (const chunk of octokitChunks) expect(readFileSync(loads, 'utf8')).toContain(path.basename(chunk))
  })
})

/**
 * For `node --import`: appends every module the process loads to $LOADS_FILE, ES modules by URL through a loader hook
 * and CommonJS ones (the bundle and its chunks) by path from require's cache, which all requires share, at exit.
 */
const RECORD_LOADS = `
import { appendFileSync } from 'node:fs'
import { createRequire, register } from 'node:module'
const cache = createRequire(process.cwd() + '/').cache
process.on('exit', () => {
  if (process.env.LOADS_FILE) appendFileSync(process.env.LOADS_FILE, Object.keys(cache).join('\\n') + '\\n')
})
register('data:text/javascript,' + encodeURIComponent(\`
import { appendFileSync } from 'node:fs'
export async function load(url, context, next) {
  if (process.env.LOADS_FILE) appendFileSync(process.env.LOADS_FILE, url + '\\\\n')
  return next(url, context)
}\`))
`

function readdirChunks(): string[] {
  const dir = path.join(ROOT, 'dist', 'main')
  return readdirSync(dir)
    .filter(name => /^\d+\.index\.js$/.test(name))
    .map(name => path.join(dir, name))
}
