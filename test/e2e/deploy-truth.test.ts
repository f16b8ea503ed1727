/**
 * Deploy readiness by the Hub's real contract (docs/hub-api.md §10.7), end to end with the built action: the Space
 * info `sha` is the head the moment a commit lands, so only evidence seen after the commit counts. Every case runs
 * with runtimes that carry the serving `sha` and with runtimes that do not (as recorded).
 *
 * No wall clock: the emulator's time moves only when the action polls the runtime, one step per poll, so each
 * answer after a commit is fixed by how many polls came before it, however fast the machine is.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { startEmulator, type Emulator, type RecordedRequest } from '../../packages/hub-emulator/src/index.js'
import type { StepResult } from '../harness/built-action.js'
import { errors, OWNER_TOKEN, runStep, SPACE } from './fixture.js'

const STEP_MS = 1000
/**
 * A commit lands at some poll's time; the next polls then see RUNNING (the old build), RUNNING_BUILDING twice,
 * RUNNING_APP_STARTING, then RUNNING.
 */
const timings = { staleMs: 2 * STEP_MS, buildMs: 2 * STEP_MS, startMs: STEP_MS }

const isPoll = (r: RecordedRequest): boolean => r.method === 'GET' && r.path.endsWith('/runtime')

/** A folder holding one app.py. */
function app(version: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'hf-truth-'))
  writeFileSync(path.join(dir, 'app.py'), `print(${JSON.stringify(version)})\n`)
  return dir
}

describe.each([
  ['runtimes without sha (as recorded)', false],
  ['runtimes that name the serving sha', true]
])('deploy readiness, %s', (_mode, runtimeSha) => {
  let hub: Emulator
  const base = Date.parse('2026-01-01T00:00:00.000Z')

  beforeEach(async () => {
    let polls = 0
    hub = await startEmulator({
      clock: {
        now: () => {
          // Guarded: the emulator reads the clock before `hub` is assigned.
          if (typeof hub !== 'undefined') polls = hub.requests().filter(isPoll).length
          return base + polls * STEP_MS
        }
      }
    })
    hub.addSpace({ id: SPACE, timings, runtimeSha })
  })

  afterEach(async () => {
    await hub.close()
  })

  const step = (inputs: Record<string, string>) => ({
    inputs: { endpoint: hub.url, 'space-id': SPACE, ...inputs },
    env: { HF_TOKEN: OWNER_TOKEN }
  })
  /** The answers to the requests after the commit, as `METHOD path stage`, in order. */
  function afterCommit(): string[] {
    const log = hub.requests()
    const commit = log.findIndex(r => r.path.endsWith('/commit/main'))
    // The live build log streams beside the wait (its own tests: test/e2e/github.test.ts); only the polls count here.
    return log
      .slice(commit + 1)
      .filter(r => !r.path.includes('/logs/'))
      .map(r => {
        const body = JSON.parse(r.responseBody ?? '{}') as { stage?: string; runtime?: { stage?: string } }
        return `${r.method} ${r.path.replace(`/api/spaces/${SPACE}`, '')} ${body.stage ?? body.runtime?.stage ?? ''}`
      })
  }

  it('ends an upload only after the new build ran, while the info sha named the commit at once', async () => {
    const before = hub.space(SPACE)?.serving
    const main = await runStep('main', step({ operation: 'upload', folder: app('v2') }))
    expect(main.exitCode).toBe(0)
    const sha = main.outputs['commit-sha']
    expect(sha).not.toBe(before)
    expect(hub.space(SPACE)).toMatchObject({ serving: sha, runtime: { stage: 'RUNNING' } })
    // The info read right after the commit already said `sha`, while the old build was still RUNNING.
    const info = hub.requests().find(r => r.path === `/api/spaces/${SPACE}` && r.method === 'GET')
    const seen = JSON.parse(info?.responseBody ?? '{}') as { sha: string; runtime: { stage: string } }
    expect([seen.sha, seen.runtime.stage]).toEqual([sha, 'RUNNING'])
    expect(afterCommit().filter(line => line.startsWith('GET /runtime'))).toEqual([
      'GET /runtime RUNNING',
      'GET /runtime RUNNING_BUILDING',
      'GET /runtime RUNNING_BUILDING',
      'GET /runtime RUNNING_APP_STARTING',
      'GET /runtime RUNNING'
    ])
  })

  it('fails the step when the build fails after the commit, with the log tail', async () => {
    hub.updateSpace(SPACE, {
      nextBuild: { outcome: 'BUILD_ERROR', errorMessage: 'pip failed', buildLog: ['ERROR: no torch'] }
    })
    const main = await runStep('main', step({ operation: 'upload', folder: app('v2') }))
    expect(main.exitCode).toBe(1)
    expect(errors(main)[0]).toContain('BUILD_ERROR: pip failed')
    expect(main.stdout).toContain('ERROR: no torch')
    expect(main.outputs.committed).toBe('true')
  })

  /** An upload whose commit starts no build: the step must fail saying so. */
  async function uploadStartingNoBuild(): Promise<StepResult> {
    const main = await runStep(
      'main',
      step({ operation: 'upload', folder: app('v2'), 'build-start-timeout': '1s' })
    )
    expect(main.exitCode).toBe(1)
    expect(errors(main)[0]).toContain('The Hub started no build for this commit')
    return main
  }

  it('reports a commit that starts no build instead of passing it', async () => {
    hub.updateSpace(SPACE, { buildOnCommit: false })
    const before = hub.space(SPACE)?.serving
    const main = await uploadStartingNoBuild()
    expect(errors(main)[0]).toContain('restart-if-no-build')
    expect(hub.space(SPACE)).toMatchObject({ serving: before, head: main.outputs['commit-sha'] })
    expect(hub.requests().filter(r => r.path.endsWith('/restart'))).toHaveLength(0)
  })

  it('restarts once when no build started and restart-if-no-build is on, then waits for that build', async () => {
    hub.updateSpace(SPACE, { buildOnCommit: false })
    const main = await runStep(
      'main',
      step({
        operation: 'upload',
        folder: app('v2'),
        'build-start-timeout': '1s',
        'restart-if-no-build': 'true'
      })
    )
    expect(main.exitCode).toBe(0)
    expect(hub.space(SPACE)?.serving).toBe(main.outputs['commit-sha'])
    const lines = afterCommit()
    const restart = lines.indexOf('POST /restart BUILDING')
    expect(restart).toBeGreaterThan(0)
    expect(lines.filter(line => line.startsWith('POST /restart'))).toHaveLength(1)
    expect(lines.slice(0, restart).every(line => !/BUILDING|STARTING/.test(line))).toBe(true)
    expect(lines.at(-1)).toBe('GET /runtime RUNNING')
  })

  it('does not fail on an error left over from before the commit, and says no build started', async () => {
    hub.updateSpace(SPACE, { stage: 'BUILD_ERROR', errorMessage: 'old failure', buildOnCommit: false })
    const main = await uploadStartingNoBuild()
    expect(errors(main)[0]).toContain('still BUILD_ERROR: old failure')
  })

  it('waits for a commit with operation: wait and sha, by the same evidence', async () => {
    const upload = await runStep('main', step({ operation: 'upload', folder: app('v2'), wait: 'false' }))
    const sha = upload.outputs['commit-sha'] ?? ''
    expect(hub.space(SPACE)?.serving).not.toBe(sha)
    const main = await runStep('main', step({ operation: 'wait', sha }))
    expect(main.exitCode).toBe(0)
    expect(hub.space(SPACE)?.serving).toBe(sha)
    expect(
      afterCommit()
        .filter(line => line.startsWith('GET /runtime'))
        .slice(-2)
    ).toEqual(['GET /runtime RUNNING_APP_STARTING', 'GET /runtime RUNNING'])
  })

  it('reports no build with operation: wait and sha too', async () => {
    hub.updateSpace(SPACE, { buildOnCommit: false })
    const upload = await runStep('main', step({ operation: 'upload', folder: app('v2'), wait: 'false' }))
    const sha = upload.outputs['commit-sha'] ?? ''
    const main = await runStep('main', step({ operation: 'wait', sha, 'build-start-timeout': '1s' }))
    expect(main.exitCode).toBe(1)
    expect(errors(main)[0]).toContain('The Hub started no build for this commit')
    expect(errors(main)[0]).toContain('start of the wait')
  })

  it('takes a static Space as live the moment the commit lands', async () => {
    hub.addSpace({ id: 'acme/site', sdk: 'static', runtimeSha })
    const main = await runStep(
      'main',
      step({ 'space-id': 'acme/site', operation: 'upload', folder: app('v2') })
    )
    expect(main.exitCode).toBe(0)
    expect(main.stdout).toContain('A static Space serves commit')
    expect(hub.space('acme/site')?.serving).toBe(main.outputs['commit-sha'])
  })
})
