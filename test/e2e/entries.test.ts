/**
 * The entries end with an annotation whatever breaks around them: a missing summary file, a missing output file, a
 * corrupt teardown state. The real error is the `::error::`, never an unhandled rejection or a stack trace.
 */
import { describe, expect, it } from '@jest/globals'
import path from 'node:path'
import { tmpdir } from 'node:os'
import { errors, runStep, SPACE, useHub } from './fixture.js'
import type { StepResult } from '../harness/built-action.js'

/** A path in a folder that does not exist: @actions/core cannot write there. */
const MISSING = path.join(tmpdir(), 'hf-space-action-no-such-folder', 'file')

function warnings(result: StepResult): string[] {
  return result.stdout.split('\n').filter(line => line.startsWith('::warning::'))
}

/** Node prints these for an uncaught error or an unhandled rejection. */
function expectNoCrash(result: StepResult): void {
  expect(result.stderr).not.toMatch(/\n\s+at |Unhandled|UnhandledPromiseRejection|node:internal/)
}

describe('the main entry', () => {
  const t = useHub([{ id: SPACE, stage: 'PAUSED' }])

  it('reports the real failure when the summary file is missing, and warns about the summary', async () => {
    const main = await runStep(
      'main',
      t.step({ 'space-id': SPACE, operation: 'wait' }, { GITHUB_STEP_SUMMARY: MISSING })
    )
    expect(main.exitCode).toBe(1)
    expect(errors(main)).toEqual([expect.stringContaining('acme/eval-app is PAUSED')])
    expect(warnings(main)).toEqual([expect.stringContaining('Could not write the job summary')])
    // The outputs still went out before the summary was tried.
    expect(main.outputs.stage).toBe('PAUSED')
    expectNoCrash(main)
  })

  it('a step that did its work stays green when only the summary cannot be written', async () => {
    const main = await runStep(
      'main',
      t.step({ 'space-id': SPACE, operation: 'pause' }, { GITHUB_STEP_SUMMARY: MISSING })
    )
    expect(main.exitCode).toBe(0)
    expect(errors(main)).toEqual([])
    expect(warnings(main)).toEqual([expect.stringContaining('Could not write the job summary')])
    expectNoCrash(main)
  })

  it('anything else that escapes (no output file) still ends as one ::error::', async () => {
    const main = await runStep(
      'main',
      t.step({ 'space-id': SPACE, operation: 'pause' }, { GITHUB_OUTPUT: MISSING })
    )
    expect(main.exitCode).toBe(1)
    expect(errors(main)).toEqual([expect.stringContaining('Could not write the step outputs: Missing file')])
    expectNoCrash(main)
  })
})

describe('the post entry', () => {
  const t = useHub([{ id: SPACE, hardware: 't4-small' }])

  it.each([
    ['not JSON', '{"spaceId":"acme/eval-app",'],
    ['not an object', 'null'],
    ['an unknown mode', JSON.stringify({ spaceId: SPACE, endpoint: 'http://127.0.0.1:9', mode: 'explode' })]
  ])('a corrupt STATE_teardown (%s) fails with an annotation, and tears nothing down', async (_, state) => {
    const post = await runStep('post', { ...t.step({}), state: { teardown: state } })
    expect(post.exitCode).toBe(1)
    expect(errors(post)).toEqual([expect.stringContaining('teardown state the main step saved is unusable')])
    expect(errors(post)[0]).toContain('paid hardware')
    expect(t.writes()).toEqual([])
    expectNoCrash(post)
  })

  it('tears down and warns when the cost summary cannot be written', async () => {
    const state = JSON.stringify({
      spaceId: SPACE,
      endpoint: t.hub.url,
      mode: 'downgrade',
      billing: { flavor: 't4-small', usdPerHour: 0.4, since: 0 }
    })
    const post = await runStep('post', {
      ...t.step({ 'space-id': SPACE, teardown: 'downgrade' }, { GITHUB_STEP_SUMMARY: MISSING }),
      state: { teardown: state }
    })
    expect(post.exitCode).toBe(0)
    expect(post.stdout).toContain('Downgraded acme/eval-app from t4-small to cpu-basic.')
    // One warning per summary write (the teardown's timeline, then its cost), each naming the problem.
    expect(warnings(post).length).toBeGreaterThan(0)
    expect(warnings(post).every(w => w.includes('Could not write the job summary'))).toBe(true)
    expectNoCrash(post)
  })
})
