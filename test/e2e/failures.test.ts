/** Failing fast, failing clearly: build errors, timeouts, auth answers and bad input. */
import { describe, expect, it } from '@jest/globals'
import {
  errors,
  expectSecretKept,
  OUTSIDER_TOKEN,
  OWNER_TOKEN,
  READER_TOKEN,
  runStep,
  SPACE,
  startStep,
  useHub
} from './fixture.js'
import { until } from '../harness/built-action.js'

describe('a build that fails', () => {
  const t = useHub([
    {
      id: SPACE,
      timings: { staleMs: 100, buildMs: 300, startMs: 100 },
      nextBuild: { outcome: 'BUILD_ERROR', errorMessage: 'Build failed with exit code: 1' },
      buildLog: [
        'Step 4/9 : RUN pip install -r requirements.txt',
        'ERROR: No matching distribution found for torch==9.9'
      ]
    }
  ])

  it('fails fast with the Hub message and the build log tail, in the log and the summary, then tears down', async () => {
    const step = t.step({
      'space-id': SPACE,
      operation: 'request-hardware',
      hardware: 't4-small',
      teardown: 'restore'
    })
    const main = await runStep('main', step)
    expect(main.exitCode).toBe(1)
    // Fast: no poll after the one that answered BUILD_ERROR (event order, not wall-clock time).
    const runtimes = t.hub
      .requests()
      .filter(r => r.path === `/api/spaces/${SPACE}/runtime` && r.status === 200)
    expect(runtimes.at(-1)?.responseBody).toContain('"stage":"BUILD_ERROR"')
    expect(runtimes.filter(r => r.responseBody?.includes('"stage":"BUILD_ERROR"'))).toHaveLength(1)
    const [error] = errors(main)
    expect(error).toContain('acme/eval-app is BUILD_ERROR: Build failed with exit code: 1')
    expect(error).toContain('fix the cause shown in the build log')
    expect(main.stdout).toMatch(
      /::group::Build log, last 2 lines\n::stop-commands::([0-9a-f-]{36})\nStep 4\/9[^\n]*\nERROR: No matching distribution[^\n]*\n::\1::\n::endgroup::/
    )
    expect(main.summary).toContain('ERROR: No matching distribution found for torch==9.9')
    expect(main.outputs.stage).toBe('BUILD_ERROR')
    const post = await runStep('post', { ...step, state: main.state })
    expect(post.exitCode).toBe(0)
    expect(t.writes().at(-1)).toBe(`POST /api/spaces/${SPACE}/hardware {"flavor":"cpu-basic"}`)
  })
})

describe('a build that never finishes', () => {
  const t = useHub([
    {
      id: SPACE,
      timings: { staleMs: 100, buildMs: 600_000, startMs: 100 },
      buildLog: ['Downloading weights 12%']
    }
  ])

  it('times out when asked, with the last stage and the log tail', async () => {
    const main = await runStep('main', t.step({ 'space-id': SPACE, operation: 'restart', timeout: '3s' }))
    // The action's own clock decides when 3 s are over. The figure it prints is the wait's own share of them, which
    // the start-up before the wait shortens by however long that took on this machine: only its form is checked.
    expect(main.exitCode).toBe(1)
    expect(errors(main)[0]).toMatch(
      /Timed out after \d(\.\d)?s waiting for acme\/eval-app to be RUNNING; last stage BUILDING/
    )
    expect(main.stdout).toContain('Downloading weights 12%')
  })

  it('is bounded by the timeout even when the Hub stops answering', async () => {
    const running = startStep('main', t.step({ 'space-id': SPACE, operation: 'restart', timeout: '4s' }))
    await until(() => t.hub.requests().some(r => r.path.endsWith('/restart')))
    t.hub.fault({ method: 'GET', path: `/api/spaces/${SPACE}/runtime`, kind: 'hang', times: Infinity })
    const main = await running.result
    // It ends (the build would take 10 minutes), by its deadline, though the last poll never got an answer.
    expect(main.exitCode).toBe(1)
    expect(errors(main)[0]).toContain('Timed out after')
    const polls = t.hub.requests().filter(r => r.path === `/api/spaces/${SPACE}/runtime`)
    expect(polls.at(-1)?.status).toBe(0)
  })
})

describe('auth and permissions', () => {
  const t = useHub([{ id: SPACE }, { id: 'acme/private-app', private: true }])

  it('explains a 401 and does not print the token', async () => {
    const bad = 'hf_this_token_is_not_known_0123456789'
    const main = await runStep(
      'main',
      t.step({ 'space-id': SPACE, operation: 'request-hardware', hardware: 't4-small' }, { HF_TOKEN: bad })
    )
    expect(main.exitCode).toBe(1)
    expect(errors(main)[0]).toContain('HTTP 401')
    expect(errors(main)[0]).toContain('Check that HF_TOKEN')
    expect(t.writes()).toEqual([])
    expectSecretKept(main, bad)
  })

  it('explains a 403 for a token that is not the owner', async () => {
    const main = await runStep(
      'main',
      t.step({ 'space-id': SPACE, operation: 'pause' }, { HF_TOKEN: OUTSIDER_TOKEN })
    )
    expect(main.exitCode).toBe(1)
    expect(errors(main)[0]).toContain('HTTP 403')
    expect(errors(main)[0]).toContain('Only the owner of the Space')
    expect(t.hub.space(SPACE)?.runtime.stage).toBe('RUNNING')
    expectSecretKept(main, OUTSIDER_TOKEN)
  })

  it('explains a read-only token', async () => {
    const main = await runStep(
      'main',
      t.step({ 'space-id': SPACE, operation: 'restart' }, { HF_TOKEN: READER_TOKEN })
    )
    expect(main.exitCode).toBe(1)
    expect(errors(main)[0]).toContain('HTTP 403')
  })

  it('explains a 404, and a private Space the token cannot see', async () => {
    const missing = await runStep('main', t.step({ 'space-id': 'acme/no-such-space' }))
    expect(missing.exitCode).toBe(1)
    expect(errors(missing)[0]).toContain('HTTP 404')
    expect(errors(missing)[0]).toContain('does not exist, or the token cannot see it')
    const hidden = await runStep(
      'main',
      t.step({ 'space-id': 'acme/private-app' }, { HF_TOKEN: OUTSIDER_TOKEN })
    )
    expect(errors(hidden)[0]).toContain('does not exist, or the token cannot see it')
  })

  it('reads a public Space without a token', async () => {
    const main = await runStep('main', t.step({ 'space-id': SPACE }, { HF_TOKEN: '' }))
    expect(main.exitCode).toBe(0)
    expect(main.outputs.stage).toBe('RUNNING')
    expect(t.hub.requests().every(r => !r.headers.authorization)).toBe(true)
  })
})

describe('bad input', () => {
  const t = useHub()

  it.each<[string, Record<string, string>, Record<string, string>, string]>([
    ['no space-id', { 'space-id': '' }, {}, 'Input `space-id` is required'],
    ['a malformed space-id', { 'space-id': 'acme/eval--app' }, {}, 'is not a valid Space id'],
    ['an unknown operation', { 'space-id': SPACE, operation: 'upgrade' }, {}, 'is not one of'],
    [
      'request-hardware without hardware',
      { 'space-id': SPACE, operation: 'request-hardware' },
      {},
      '`hardware` is required'
    ],
    [
      'a bad sleep time',
      { 'space-id': SPACE, operation: 'set-sleep-time', 'sleep-time': 'soon' },
      {},
      'not a sleep time'
    ],
    ['a bad timeout', { 'space-id': SPACE, operation: 'wait', timeout: 'forever' }, {}, 'not a duration'],
    ['a bad teardown', { 'space-id': SPACE, teardown: 'nuke' }, {}, 'is not one of'],
    ['a bad boolean', { 'space-id': SPACE, wait: 'maybe' }, {}, 'must be true or false'],
    [
      'a write without a token',
      { 'space-id': SPACE, operation: 'pause' },
      { HF_TOKEN: '' },
      'credentials are needed'
    ],
    [
      'a token over plain http',
      { 'space-id': SPACE, endpoint: 'http://hub.example.com' },
      {},
      'Refusing to send the token'
    ]
  ])('rejects %s with zero requests', async (_name, inputs, env, message) => {
    const main = await runStep(
      'main',
      t.step({ ...inputs, ...(inputs.endpoint ? {} : { endpoint: t.hub.url }) }, env)
    )
    expect(main.exitCode).toBe(1)
    expect(errors(main).join('\n')).toContain(message)
    expect(t.hub.requests()).toEqual([])
    expectSecretKept(main, OWNER_TOKEN)
  })
})
