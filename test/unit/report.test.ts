import { describe, expect, it } from '@jest/globals'
import { outputs, renderSummary, sleepTimeOutput, spaceUrl, type Report } from '../../src/report/report.js'
import { ActionError } from '../../src/errors.js'
import type { Plan } from '../../src/plan/plan.js'
import { plan as basePlan } from '../support/plan.js'
import { runtime } from '../support/runtimes.js'

const plan: Plan = basePlan({
  operation: 'request-hardware',
  credentials: { kind: 'token', token: 'hf_secret_value_0123456789' },
  hardware: 't4-small',
  sleepSeconds: 1800,
  teardown: 'restore'
})

describe('outputs', () => {
  it('gives the state now and the settings before, ready to feed back as inputs', () => {
    const report: Report = {
      plan,
      before: runtime('RUNNING', 'cpu-basic'),
      after: runtime('RUNNING', 't4-small', 't4-small', { sleepTime: 1800 }),
      appUrl: 'https://acme-eval-app.hf.space'
    }
    expect(outputs(report)).toEqual({
      stage: 'RUNNING',
      hardware: 't4-small',
      'requested-hardware': 't4-small',
      'sleep-time': '1800',
      'space-url': 'https://huggingface.co/spaces/acme/eval-app',
      'app-url': 'https://acme-eval-app.hf.space',
      'previous-hardware': 'cpu-basic',
      'previous-sleep-time': '172800'
    })
  })

  it('writes never-sleeping as never and a missing sleep time as empty', () => {
    expect([sleepTimeOutput(null), sleepTimeOutput(undefined), sleepTimeOutput(60)]).toEqual([
      'never',
      '',
      '60'
    ])
  })

  it('uses the endpoint for the Space page', () => {
    expect(spaceUrl({ endpoint: 'http://127.0.0.1:8787', spaceId: 'a/b' })).toBe(
      'http://127.0.0.1:8787/spaces/a/b'
    )
  })
})

describe('renderSummary', () => {
  it('has the table a person needs, and no token', () => {
    const html = renderSummary({
      plan,
      before: runtime('RUNNING', 'cpu-basic'),
      after: runtime('RUNNING', 't4-small', 't4-small', { sleepTime: 1800 }),
      appUrl: 'https://acme-eval-app.hf.space',
      waitedMs: 6200,
      summary: 'Requested t4-small and it is running.'
    })
    for (const text of [
      'acme/eval-app',
      'request-hardware',
      '<code>t4-small</code> → <code>t4-small</code>',
      '30m',
      '6.2s',
      'restore'
    ]) {
      expect(html).toContain(text)
    }
    expect(html).not.toContain('hf_secret_value_0123456789')
  })

  it('shows the error, its advice and the log tail, escaped', () => {
    const html = renderSummary({
      plan,
      after: runtime('BUILD_ERROR', null, 't4-small', { errorMessage: 'bad <script>' }),
      error: new ActionError('space-failed', 'acme/eval-app is BUILD_ERROR: bad <script>', 'Fix it & push.'),
      logs: { kind: 'build', lines: ['<b>pip</b> failed'] }
    })
    expect(html).toContain('bad &#60;script&#62;')
    expect(html).toContain('Fix it &#38; push.')
    expect(html).toContain('Build log, last 1 lines')
    expect(html).toContain('&#60;b&#62;pip&#60;/b&#62; failed')
    expect(html).not.toContain('<script>')
  })
})
